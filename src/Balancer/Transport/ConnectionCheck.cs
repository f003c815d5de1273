using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Grpc.Health.V1;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Transport;

/// <summary>
/// Why a target's instances cannot be used, told from one direct call to each: a TLS handshake that failed (an
/// untrusted or misnamed certificate, a client certificate missing), a TLS server called in plaintext, a plaintext
/// server called over TLS. A balanced channel only sees its connections fail; this names the cause in one line.
/// </summary>
public static class ConnectionCheck
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One line naming the first instance and what is wrong with the connection to it, when no instance can be used for
    /// such a reason; null when one answers gRPC (any status it gives, UNIMPLEMENTED included) or when the failures are
    /// refused connections or timeouts, which say that the instances are down or slow, not misconfigured.
    /// </summary>
    public static async Task<string?> FindProblemAsync(BalancerTarget target, ClientTls? tls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var problems = await Task.WhenAll(target.Addresses
            .Select(a => EndpointRegistry.Format(a.EndPoint.Host, a.EndPoint.Port))
            .Select(address => ProblemOfAsync(address, tls, cancellationToken)));
        return problems.All(p => p is not null) ? problems.FirstOrDefault() : null;
    }

    private static async Task<string?> ProblemOfAsync(string address, ClientTls? tls, CancellationToken cancellationToken)
    {
        using var channel = DirectChannel.Create(address, tls, new SocketsHttpHandler { ConnectTimeout = CallTimeout });
        try
        {
            await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return null;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal)
        {
            return Describe(address, tls, e.Status.DebugException ?? e);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private static string? Describe(string address, ClientTls? tls, Exception failure)
    {
        var causes = Causes(failure).ToList();
        if (causes.OfType<SocketException>().Any())
        {
            return null;
        }

        // One line, whatever the platform's message holds (OpenSSL's may run over several).
        var innermost = string.Join(' ', causes[^1].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
        if (tls is null)
        {
            return $"{address} does not speak plaintext HTTP/2 (h2c) ({innermost}): if it is a TLS server, give the target's TLS (--ca-file, or --insecure-skip-verify for a self-signed test server)";
        }

        if (causes.OfType<AuthenticationException>().FirstOrDefault() is { } handshake)
        {
            var certificate = handshake.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase);
            return certificate
                ? $"the TLS handshake with {address} failed: {innermost}: trust its CA (--ca-file), name the certificate's host (--authority), or for a self-signed test server --insecure-skip-verify"
                : $"the TLS handshake with {address} failed ({innermost}): is it a plaintext (h2c) server? then drop the target's TLS";
        }

        return tls.HasClientCertificate
            ? $"{address} closed the TLS connection ({innermost}): does it trust the client certificate (--cert-file)?"
            : $"{address} closed the TLS connection ({innermost}): does it require a client certificate? give --cert-file and --key-file";
    }

    private static IEnumerable<Exception> Causes(Exception failure)
    {
        for (var cause = failure; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }
}
