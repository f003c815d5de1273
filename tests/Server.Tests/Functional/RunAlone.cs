namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// Tests that must have the process to themselves, run after the others: ones that load the machine, and ones that
/// measure the process's CPU time, which every test running beside them would add to.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class RunAlone
{
    public const string Name = "run alone";
}
