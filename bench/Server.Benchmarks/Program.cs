using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GrpcLoadLab.Server.Benchmarks;
using Perfolizer.Metrology;

// Usage: dotnet run -c Release --project bench/Server.Benchmarks -- --filter '*'
// A short job fits a small shared machine; allocated bytes per call do not depend on the machine's load. In-process,
// because an out-of-process run rebuilds src/Server in Release, whose output the fleet script and other runs share.
// Allocations in bytes: a few dozen bytes a call are the differences looked for.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithSummaryStyle(SummaryStyle.Default.WithSizeUnit(SizeUnit.B));
// The lab server's assembly has a Program type too, hence a benchmark type to name this assembly.
BenchmarkSwitcher.FromAssembly(typeof(CallCountingBenchmarks).Assembly).Run(args, config);
