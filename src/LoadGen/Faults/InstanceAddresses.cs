using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Faults;

/// <summary>
/// Finds a fault's instance in the run's target: line I of a <c>file:</c> registry (read again at each fault, as the
/// balancer re-reads it), or item I of a <c>static:</c> list — the fleet script's instance I either way.
/// </summary>
internal sealed class InstanceAddresses(BalancerTarget target)
{
    /// <summary>The folder of a <c>file:</c> target's registry: the fleet's <c>LAB_DIR</c>; null for other targets.</summary>
    public static string? RegistryFolder(TargetAddress target) =>
        target.RegistryPath is { } registry ? Path.GetDirectoryName(Path.GetFullPath(registry)) : null;

    /// <summary>host:port of instance <paramref name="instance"/> (from 1); throws <see cref="BalancerConfigurationException"/> saying why there is none.</summary>
    public string Of(int instance)
    {
        var addresses = target.FilePath is { } registry ? RegistryFile.Read(registry) : target.Addresses;
        if (instance > addresses.Count)
        {
            throw new BalancerConfigurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"the faults name instance {instance}, but {target.Text} lists {addresses.Count} server{(addresses.Count == 1 ? "" : "s")}: start more, or change the faults"));
        }

        var endPoint = addresses[instance - 1].EndPoint;
        return EndpointRegistry.Format(endPoint.Host, endPoint.Port);
    }
}
