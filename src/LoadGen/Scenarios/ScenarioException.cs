namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// A scenario that cannot run, told in one line: <c>SOURCE: $.json.path: what is wrong — how to fix it</c>. The source
/// is the file, or the command-line flag (then there is no path).
/// </summary>
public sealed class ScenarioException(string source, string? path, string problem)
    : Exception(path is null ? $"{source}: {problem}" : $"{source}: {path}: {problem}")
{
    /// <summary>The scenario file, or the flag that was given a bad value.</summary>
    public string Origin { get; } = source;

    /// <summary>Where in the file, e.g. <c>$.phases[1].rate</c>; null for a flag.</summary>
    public string? Path { get; } = path;

    /// <summary>What is wrong and how to fix it.</summary>
    public string Problem { get; } = problem;
}
