using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// Where the calls go, parsed once from its text: <c>file:PATH</c> (the fleet's registry),
/// <c>static:HOST:PORT[,HOST:PORT...]</c> or <c>dns:HOST:PORT</c>. A registry is named here but read only when the
/// run opens the target (<see cref="Open"/>), so that a scenario can be checked, or aimed at a fleet not yet started.
/// </summary>
[JsonConverter(typeof(TargetAddressJsonConverter))]
public sealed record TargetAddress
{
    private const string FileScheme = "file:";

    private TargetAddress(string text, TargetKind kind, string? registryPath)
    {
        Text = text;
        Kind = kind;
        RegistryPath = registryPath;
    }

    /// <summary>The target as written.</summary>
    public string Text { get; }

    public TargetKind Kind { get; }

    /// <summary>The registry's path as written, for a <c>file:</c> target; null for the others.</summary>
    public string? RegistryPath { get; }

    /// <summary>The <c>file:</c> target of the registry at <paramref name="path"/>.</summary>
    public static TargetAddress Registry(string path) => Parse(FileScheme + path);

    /// <exception cref="BalancerConfigurationException">The text is not a target; its message says why.</exception>
    public static TargetAddress Parse(string text) =>
        TryParse(text, out var address, out var problem) ? address : throw new BalancerConfigurationException(problem);

    /// <summary>The target <paramref name="text"/> names, or the balancer's own words for what is wrong with it.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out TargetAddress? address, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        problem = null;
        if (text.StartsWith(FileScheme, StringComparison.Ordinal) && text[FileScheme.Length..].Trim() is { Length: > 0 } path)
        {
            address = new TargetAddress(text, TargetKind.File, path);
            return true;
        }

        try
        {
            // Reads no file: what is left is a static list, a DNS name, or a file: target without a path (refused).
            address = new TargetAddress(text, BalancerTarget.Parse(text).Kind, null);
            return true;
        }
        catch (BalancerConfigurationException e)
        {
            problem = e.Message;
            return false;
        }
    }

    /// <summary>The target as the balancer uses it; a <c>file:</c> target's registry is read now.</summary>
    /// <exception cref="BalancerConfigurationException">The registry is missing, empty or lists a server twice.</exception>
    public BalancerTarget Open() => BalancerTarget.Parse(Text);

    public override string ToString() => Text;
}
