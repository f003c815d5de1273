using System.Text.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// What the validators of experiment files share: naming a bad value by its JSON path, and throwing the first one as a
/// <see cref="ScenarioException"/> of <paramref name="source"/>.
/// </summary>
internal abstract class PathValidator(string source)
{
    /// <summary>The path of <paramref name="member"/> (a model property) under <paramref name="parent"/>, as the file spells it.</summary>
    protected static string At(string parent, string member) => $"{parent}.{JsonNamingPolicy.CamelCase.ConvertName(member)}";

    protected void Expect(string parent, string member, string? problem)
    {
        if (problem is not null)
        {
            Fail(At(parent, member), problem);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    protected void Fail(string path, string problem) => throw new ScenarioException(source, path, problem);
}
