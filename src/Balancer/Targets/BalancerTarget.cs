using Grpc.Net.Client.Balancer;

namespace GrpcLoadLab.Balancer.Targets;

/// <summary>
/// A parsed target: <c>file:PATH</c>, <c>static:HOST:PORT[,HOST:PORT...]</c> or <c>dns:HOST:PORT</c>.
/// Parsing checks what can be checked before any call: the file exists and lists servers, the addresses are well formed.
/// </summary>
public sealed class BalancerTarget
{
    private const string Forms = "file:PATH, static:HOST:PORT[,HOST:PORT...] or dns:HOST:PORT";

    private BalancerTarget(TargetKind kind, string text, Uri channelAddress, IReadOnlyList<BalancerAddress> addresses)
    {
        Kind = kind;
        Text = text;
        ChannelAddress = channelAddress;
        Addresses = addresses;
    }

    public TargetKind Kind { get; }

    /// <summary>The target as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>The address the channel is created with; its scheme selects the resolver.</summary>
    public Uri ChannelAddress { get; }

    /// <summary>The addresses known when the target was parsed (for <c>dns:</c>, the one name and port).</summary>
    public IReadOnlyList<BalancerAddress> Addresses { get; }

    /// <summary>For <c>file:</c> targets, the registry's full path.</summary>
    public string? FilePath => Kind == TargetKind.File ? ChannelAddress.LocalPath : null;

    public static BalancerTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':');
        var scheme = colon > 0 ? text[..colon] : string.Empty;
        var rest = colon > 0 ? text[(colon + 1)..].Trim() : string.Empty;
        return scheme switch
        {
            "file" => ParseFile(text, rest),
            "static" => ParseStatic(text, rest),
            "dns" => ParseDns(text, rest),
            _ => throw new BalancerConfigurationException($"target '{text}' is not one of {Forms}"),
        };
    }

    private static BalancerTarget ParseFile(string text, string path)
    {
        if (path.Length == 0)
        {
            throw new BalancerConfigurationException($"target '{text}' names no file: write file:.lab/servers.txt or another registry path");
        }

        var fullPath = Path.GetFullPath(path);
        var addresses = RegistryFile.Read(fullPath);
        return new BalancerTarget(TargetKind.File, text, new Uri(fullPath), addresses);
    }

    private static BalancerTarget ParseStatic(string text, string list)
    {
        var items = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0)
        {
            throw new BalancerConfigurationException($"target '{text}' lists no servers: write static:{EndpointAddress.Example},127.0.0.1:5002");
        }

        return new BalancerTarget(TargetKind.Static, text, new Uri("static:///lab"), RegistryFile.Parse(items, $"target '{text}'", "item"));
    }

    private static BalancerTarget ParseDns(string text, string hostAndPort)
    {
        if (!EndpointAddress.TryParse(hostAndPort, out var address))
        {
            throw new BalancerConfigurationException($"target '{text}' is not dns:HOST:PORT (for example dns:my-service.default.svc.cluster.local:5001)");
        }

        return new BalancerTarget(TargetKind.Dns, text, new Uri($"dns:///{hostAndPort}"), [address!]);
    }
}
