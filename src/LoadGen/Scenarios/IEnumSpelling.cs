namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>An enum's names as people write them; what an error message lists when a name is wrong.</summary>
public interface IEnumSpelling
{
    IReadOnlyList<string> Names { get; }

    /// <summary>The names for a message: <c>a, b or c</c>.</summary>
    string Choices { get; }
}
