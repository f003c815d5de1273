using System.CommandLine;
using GrpcLoadLab.LoadGen.Commands;

namespace GrpcLoadLab.LoadGen.Tests.Kubernetes;

/// <summary>loadgen's own command line (the commands Program.cs puts under its root), to parse arguments without running them.</summary>
internal static class LoadGenCommandLine
{
    public static ParseResult Parse(IReadOnlyList<string> arguments) =>
        new RootCommand { RunCommand.Create(), ReportCommand.Create(), CompareCommand.Create(), SweepCommand.Create(), MergeCommand.Create() }.Parse([.. arguments]);
}
