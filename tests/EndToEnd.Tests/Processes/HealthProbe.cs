using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>Asks an instance for its health (grpc.health.v1), as a balancer or the fleet script would.</summary>
public static class HealthProbe
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The instance's overall status, or null when it does not answer (not listening).</summary>
    public static async Task<ServingStatus?> CheckAsync(GrpcChannel channel)
    {
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + CallTimeout);
            return reply.Status;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return null;
        }
    }

    /// <summary>The status of the instance at <paramref name="address"/> (host:port).</summary>
    public static async Task<ServingStatus?> CheckAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress($"http://{address}");
        return await CheckAsync(channel);
    }

    /// <summary>Polls until the instance reports SERVING; throws once <paramref name="within"/> has passed.</summary>
    public static async Task WaitUntilServingAsync(GrpcChannel channel, TimeSpan within)
    {
        using var limit = new CancellationTokenSource(within);
        ServingStatus? status;
        while ((status = await CheckAsync(channel)) != ServingStatus.Serving)
        {
            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"{channel.Target} was not SERVING within {within.TotalSeconds}s (last: {status?.ToString() ?? "no answer"})");
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }
    }
}
