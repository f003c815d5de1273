using YamlDotNet.RepresentationModel;

namespace GrpcLoadLab.LoadGen.Tests.Kubernetes;

/// <summary>Reading a parsed YAML tree by key, with a failure that names the key and the line when it is not there.</summary>
internal static class Yaml
{
    public static YamlNode? Find(this YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static YamlMappingNode Map(this YamlNode node, string key) => As<YamlMappingNode>(node, key);

    public static YamlSequenceNode Seq(this YamlNode node, string key) => As<YamlSequenceNode>(node, key);

    /// <summary>The items of the sequence under <paramref name="key"/>, none when the key is absent.</summary>
    public static IEnumerable<YamlMappingNode> Items(this YamlNode node, string key) =>
        node.Find(key) is YamlSequenceNode sequence ? sequence.Children.Cast<YamlMappingNode>() : [];

    public static string Text(this YamlNode node, string key) => As<YamlScalarNode>(node, key).Value ?? string.Empty;

    public static string? TextOrNull(this YamlNode node, string key) => (node.Find(key) as YamlScalarNode)?.Value;

    public static int Int(this YamlNode node, string key) => int.Parse(node.Text(key), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A mapping of strings to strings (labels, a selector's matchLabels).</summary>
    public static IReadOnlyDictionary<string, string> Strings(this YamlNode node, string key) =>
        node.Map(key).Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value ?? string.Empty, StringComparer.Ordinal);

    /// <summary>The scalars of a sequence, in order.</summary>
    public static IReadOnlyList<string> Texts(this YamlNode node, string key) =>
        node.Find(key) is YamlSequenceNode sequence ? [.. sequence.Children.Select(item => ((YamlScalarNode)item).Value ?? string.Empty)] : [];

    private static T As<T>(YamlNode node, string key)
        where T : YamlNode
    {
        var child = node.Find(key);
        Assert.True(child is T, $"line {node.Start.Line}: expected '{key}' ({typeof(T).Name[4..^4].ToLowerInvariant()}), found {child?.GetType().Name ?? "nothing"}");
        return (T)child!;
    }
}
