using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GrpcLoadLab.LoadGen.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes as kustomize reads it: the kustomization, every document of the resources it lists, and the
/// literals of the ConfigMaps it generates.
/// </summary>
internal sealed partial class KubernetesManifests
{
    /// <summary>What the downward API gives <c>metadata.name</c> in these tests: a pod name as a Deployment makes one.</summary>
    public const string ExamplePodName = "lab-server-7d9c4b6f5-x2x9q";

    private KubernetesManifests(YamlMappingNode kustomization, IReadOnlyList<Manifest> resources)
    {
        Kustomization = kustomization;
        Resources = resources;
    }

    public static string Folder { get; } = Path.Combine(RepositoryFolder.Root, "deploy", "kubernetes");

    public YamlMappingNode Kustomization { get; }

    public IReadOnlyList<Manifest> Resources { get; }

    public static KubernetesManifests Load()
    {
        var kustomization = (YamlMappingNode)ReadDocuments(Path.Combine(Folder, "kustomization.yaml")).Single();
        var resources = kustomization.Texts("resources")
            .SelectMany(file => ReadDocuments(Path.Combine(Folder, file)).Select(root => new Manifest(file, (YamlMappingNode)root)))
            .ToList();
        return new KubernetesManifests(kustomization, resources);
    }

    public static IReadOnlyList<YamlNode> ReadDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(document => document.RootNode)];
    }

    public Manifest Single(string kind, string name) => Assert.Single(Resources, r => r.Kind == kind && r.Name == name);

    /// <summary>The names of the ConfigMaps the kustomization generates (kustomize adds a hash and rewrites references).</summary>
    public IReadOnlyList<string> GeneratedConfigMaps => [.. Kustomization.Items("configMapGenerator").Select(g => g.Text("name"))];

    /// <summary>A generated ConfigMap's data: its literals, and its files by name with their text.</summary>
    public IReadOnlyDictionary<string, string> ConfigMapData(string name)
    {
        var generator = Assert.Single(Kustomization.Items("configMapGenerator"), g => g.Text("name") == name);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var literal in generator.Texts("literals"))
        {
            var equals = literal.IndexOf('=', StringComparison.Ordinal);
            data.Add(literal[..equals], literal[(equals + 1)..]);
        }

        foreach (var file in generator.Texts("files"))
        {
            data.Add(Path.GetFileName(file), File.ReadAllText(Path.Combine(Folder, file)));
        }

        return data;
    }

    /// <summary>
    /// A container's environment as the kubelet builds it: every configMapRef of envFrom, then env (values, and the
    /// downward API's pod name). A reference to a ConfigMap that nothing here makes fails the test.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(YamlMappingNode container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.Items("envFrom"))
        {
            foreach (var (key, value) in ConfigMapData(source.Map("configMapRef").Text("name")))
            {
                environment[key] = value;
            }
        }

        foreach (var variable in container.Items("env"))
        {
            var name = variable.Text("name");
            if (variable.TextOrNull("value") is { } value)
            {
                environment[name] = Expand(value, environment);
            }
            else
            {
                Assert.Equal("metadata.name", variable.Map("valueFrom").Map("fieldRef").Text("fieldPath"));
                environment[name] = ExamplePodName;
            }
        }

        return environment;
    }

    /// <summary>
    /// Kubernetes' own expansion of <c>$(NAME)</c> in command, args and env values. A name that is not defined stays
    /// as written there, which is never meant: it fails the test.
    /// </summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> environment) =>
        VariableReference().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            Assert.True(environment.ContainsKey(name), $"'{text}' refers to $({name}), which the container's environment does not define");
            return environment[name];
        });

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}

/// <summary>One document of a resource file.</summary>
internal sealed record Manifest(string File, YamlMappingNode Root)
{
    public string Kind => Root.Text("kind");

    public string Name => Root.Map("metadata").Text("name");

    /// <summary>The pod template of a Deployment or a Job; null for other kinds.</summary>
    public YamlMappingNode? PodTemplate => Kind is "Deployment" or "Job" ? Root.Map("spec").Map("template") : null;

    public YamlMappingNode PodSpec => PodTemplate!.Map("spec");

    public IReadOnlyDictionary<string, string> PodLabels => PodTemplate!.Map("metadata").Strings("labels");

    public YamlMappingNode Container(string name) => Assert.Single(PodSpec.Items("containers").Concat(PodSpec.Items("initContainers")), c => c.Text("name") == name);

    public override string ToString() => $"{Kind} {Name} ({File})";
}
