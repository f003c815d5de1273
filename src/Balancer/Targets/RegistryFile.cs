using Grpc.Net.Client.Balancer;

namespace GrpcLoadLab.Balancer.Targets;

/// <summary>
/// The registry the fleet script writes: one <c>host:port</c> a line; blank lines and lines starting with '#' are
/// ignored. A server listed twice (in any spelling, see <see cref="EndpointAddress.ServerKey"/>) is refused, naming
/// both lines: a list a person wrote says what they meant, and a repeat is a slip to fix rather than a weight.
/// </summary>
public static class RegistryFile
{
    /// <summary>Reads the registry; throws <see cref="BalancerConfigurationException"/> saying what is wrong with it.</summary>
    public static IReadOnlyList<BalancerAddress> Read(string path)
    {
        string[] lines;
        try
        {
            // A registry is a few lines: a synchronous read is the simple choice.
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BalancerConfigurationException(
                $"registry file {path} does not exist: start servers with 'scripts/servers.sh start N', or name another file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BalancerConfigurationException($"registry file {path} cannot be read: {e.Message}");
        }

        return Parse(lines, path, "line");
    }

    /// <summary>Parses addresses; errors name the <paramref name="source"/> and the number of the bad line or item.</summary>
    public static IReadOnlyList<BalancerAddress> Parse(IEnumerable<string> lines, string source, string itemName)
    {
        var addresses = new List<BalancerAddress>();
        var firstSeen = new Dictionary<string, (int Number, string Text)>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!EndpointAddress.TryParse(line, out var address))
            {
                throw new BalancerConfigurationException(
                    $"{source} {itemName} {number}: '{line}' is not host:port (for example {EndpointAddress.Example})");
            }

            if (!firstSeen.TryAdd(EndpointAddress.ServerKey(address!), (number, line)))
            {
                var first = firstSeen[EndpointAddress.ServerKey(address!)];
                throw new BalancerConfigurationException(
                    $"{source} {itemName} {number}: '{line}' is the same server as {itemName} {first.Number} ('{first.Text}'): list each server once");
            }

            addresses.Add(address!);
        }

        if (addresses.Count == 0)
        {
            throw new BalancerConfigurationException($"{source} lists no servers: give at least one host:port");
        }

        return addresses;
    }
}
