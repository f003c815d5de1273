using GrpcLoadLab.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GrpcLoadLab.Server.Health;

/// <summary>Healthy while the instance serves; unhealthy (NOT_SERVING) once it has begun its graceful stop.</summary>
public sealed class DrainHealthCheck(DrainCoordinator drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());
}
