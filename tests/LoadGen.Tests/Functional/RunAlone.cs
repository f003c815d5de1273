namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>
/// Tests that must have the process to themselves, run after the others: ones that listen to the load generator's
/// meter by its name, which every run beside them would add to.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class RunAlone
{
    public const string Name = "run alone";
}
