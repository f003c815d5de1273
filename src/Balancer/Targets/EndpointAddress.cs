using System.Globalization;
using System.Net;
using Grpc.Net.Client.Balancer;

namespace GrpcLoadLab.Balancer.Targets;

/// <summary>Parses <c>host:port</c> and <c>[ipv6]:port</c>, the one address form of registries and static lists.</summary>
public static class EndpointAddress
{
    public const string Example = "127.0.0.1:5001";

    public static bool TryParse(string text, out BalancerAddress? address)
    {
        address = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out _))
            {
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal) || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '[' or ']'))
        {
            return false;
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > IPEndPoint.MaxPort)
        {
            return false;
        }

        address = new BalancerAddress(host, port);
        return true;
    }

    /// <summary>
    /// Which server an address names, to tell repeats apart however they are spelled: host names compare without case,
    /// <c>localhost</c> is 127.0.0.1 (where lab servers listen), and an IP address is the same in any spelling
    /// (<c>[::1]</c>, <c>[0:0:0:0:0:0:0:1]</c>).
    /// </summary>
    public static string ServerKey(BalancerAddress address)
    {
        var host = address.EndPoint.Host.Trim();
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            host = IPAddress.Loopback.ToString();
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            host = ip.ToString();
        }

        return string.Create(CultureInfo.InvariantCulture, $"{host.ToLowerInvariant()}|{address.EndPoint.Port}");
    }
}
