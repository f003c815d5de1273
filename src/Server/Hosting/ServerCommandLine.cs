using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using GrpcLoadLab.Common;
using GrpcLoadLab.Server.Probe;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>The server's command line: run an instance (the root command), or probe running ones.</summary>
public static class ServerCommandLine
{
    /// <summary>Where the port comes from when <c>--port</c> is not given.</summary>
    public const string PortVariable = "LAB_PORT";

    public static RootCommand Create(Func<ServerOptions, CancellationToken, Task<int>> runServer)
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = $"TCP port to listen on (h2c, or TLS with --tls-cert). Default: ${PortVariable}, else {ServerOptions.DefaultPort}.",
            DefaultValueFactory = PortFromEnvironment,
            CustomParser = result => ParseWholeNumber(result, ServerOptions.PortRange),
        };
        var address = new Option<IPAddress>("--address")
        {
            Description = "Address to listen on. Default: 127.0.0.1. Anything else is reachable from other machines.",
            DefaultValueFactory = _ => IPAddress.Loopback,
            CustomParser = ParseAddress,
        };
        var instanceId = new Option<string?>("--instance-id")
        {
            Description = "Id named in every reply. Default: server-PORT.",
        };
        var capacity = new Option<int>("--capacity")
        {
            Description = "Maximum calls doing work at once; more are queued, then rejected with RESOURCE_EXHAUSTED. Default: 0, unlimited.",
            CustomParser = result => ParseWholeNumber(result, ServerOptions.CapacityRange),
        };
        var queue = new Option<int?>("--queue")
        {
            Description = "Calls that may wait for a capacity slot. Default: the same as --capacity.",
            CustomParser = result => ParseWholeNumber(result, ServerOptions.QueueRange),
        };
        var defaults = new ServerOptions();
        var drainDelay = DurationOption(ServerOptions.DrainDelayRange, "After SIGTERM, how long to keep serving while reporting NOT_SERVING.", defaults.DrainDelay);
        var drainTimeout = DurationOption(ServerOptions.DrainTimeoutRange, "The longest a graceful stop may take; calls still running then are aborted.", defaults.DrainTimeout);
        var maxWork = DurationOption(
            ServerOptions.MaxWorkRange, "The most simulated work (delay + CPU) one call may ask for; more is refused with INVALID_ARGUMENT.", defaults.MaxWork);
        var allowFaults = new Option<bool>("--allow-faults")
        {
            Description = "Let SetFault put behaviour faults (extra delay, failed calls) in force, for failure experiments. Default: off (SetFault is refused).",
        };
        var maxReceive = LimitOption(
            ServerOptions.ReceiveSizeRange, "Largest request message accepted, in bytes (4194304 = 4 MiB); larger ones fail with RESOURCE_EXHAUSTED.", ServerOptions.DefaultMessageSize);
        var maxSend = LimitOption(
            ServerOptions.SendSizeRange, "Largest reply message sent, in bytes (4194304 = 4 MiB); a reply_size beyond it fails with RESOURCE_EXHAUSTED.", ServerOptions.DefaultMessageSize);
        var maxConnections = LimitOption(
            ServerOptions.ConnectionsRange, "Open connections accepted at once; further ones are closed.", ServerOptions.DefaultMaxConcurrentConnections);
        var maxStreams = LimitOption(
            ServerOptions.StreamsRange, "Concurrent HTTP/2 streams (calls) per connection.", ServerOptions.DefaultMaxStreamsPerConnection);

        var prometheus = new Option<int?>("--prometheus")
        {
            Description = $"Serve a Prometheus scrape endpoint, http://ADDRESS:PORT/metrics (HTTP/1.1), with the instance's meters, on this port: {ServerOptions.PrometheusPortRange}, not the gRPC port. Default: off.",
            CustomParser = result => ParseWholeNumber(result, ServerOptions.PrometheusPortRange),
        };
        var otlpEndpoint = new Option<Uri?>("--otlp-endpoint")
        {
            Description = "Push the instance's meters to this OTLP collector over gRPC, e.g. http://127.0.0.1:4317. Default: off.",
            CustomParser = OtlpExportRules.ParseEndpoint,
        };
        var otlpInterval = DurationOption(ServerOptions.OtlpIntervalRange, "How often the OTLP export sends; only with --otlp-endpoint.", ServerOptions.DefaultOtlpInterval);

        var tlsCertificate = new Option<string?>("--tls-cert") { Description = "Serve TLS (HTTPS with HTTP/2) with this PEM certificate; with --tls-key. Default: plaintext h2c." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert (unencrypted)." };
        var clientCa = new Option<string?>("--client-ca") { Description = "With TLS: require every client to present a certificate that chains to this PEM CA (mTLS)." };

        var root = new RootCommand("One gRPC Load Lab server instance: the lab service over h2c (or TLS), with health, reflection and stats.")
        {
            port, address, instanceId, capacity, queue, drainDelay, drainTimeout, maxWork,
            allowFaults, maxReceive, maxSend, maxConnections, maxStreams, prometheus, otlpEndpoint, otlpInterval,
            tlsCertificate, tlsKey, clientCa, InstanceProbe.CreateCommand(),
        };
        root.SetAction((parse, cancellationToken) => runServer(
            new ServerOptions
            {
                Port = parse.GetValue(port),
                Address = parse.GetValue(address)!,
                InstanceId = parse.GetValue(instanceId),
                Capacity = parse.GetValue(capacity),
                QueueLimit = parse.GetValue(queue),
                DrainDelay = parse.GetValue(drainDelay),
                DrainTimeout = parse.GetValue(drainTimeout),
                MaxWork = parse.GetValue(maxWork),
                AllowFaults = parse.GetValue(allowFaults),
                MaxReceiveMessageSize = parse.GetValue(maxReceive),
                MaxSendMessageSize = parse.GetValue(maxSend),
                MaxConcurrentConnections = parse.GetValue(maxConnections),
                MaxStreamsPerConnection = parse.GetValue(maxStreams),
                PrometheusPort = parse.GetValue(prometheus),
                OtlpEndpoint = parse.GetValue(otlpEndpoint),
                OtlpInterval = parse.GetResult(otlpInterval) is { Implicit: false } ? parse.GetValue(otlpInterval) : null,
                TlsCertificateFile = parse.GetValue(tlsCertificate),
                TlsKeyFile = parse.GetValue(tlsKey),
                ClientCaFile = parse.GetValue(clientCa),
            },
            cancellationToken));
        return root;
    }

    /// <summary>An option that takes a duration such as <c>500ms</c> or <c>2s</c>, within <paramref name="range"/>.</summary>
    public static Option<TimeSpan> DurationOption(DurationRange range, string description, TimeSpan defaultValue) => new(range.Option)
    {
        Description = $"{description} {range}. Default: {DurationRange.Format(defaultValue)}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (DurationParser.TryParse(text, out var duration) && range.Contains(duration))
            {
                return duration;
            }

            result.AddError(range.Refusal(text));
            return defaultValue;
        },
    };

    /// <summary>A limit against abusive clients: a whole number within its range.</summary>
    private static Option<int> LimitOption(WholeNumberRange range, string description, int defaultValue) => new(range.Option)
    {
        // The parser shows the default after the description.
        Description = $"{description} {range}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseWholeNumber(result, range),
    };

    /// <summary>
    /// A whole number in base 10 within <paramref name="range"/>. Digits too many for any number are out of range, not
    /// "not a number": the line says which values are accepted either way.
    /// </summary>
    private static int ParseWholeNumber(ArgumentResult result, WholeNumberRange range)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            result.AddError($"{range.Option} '{text}' is not a whole number: give {range}");
            return default;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || !range.Contains(value))
        {
            result.AddError(range.Refusal(text));
            return default;
        }

        return (int)value;
    }

    private static int PortFromEnvironment(ArgumentResult result)
    {
        var text = Environment.GetEnvironmentVariable(PortVariable);
        if (string.IsNullOrEmpty(text))
        {
            return ServerOptions.DefaultPort;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && ServerOptions.PortRange.Contains(value))
        {
            return value;
        }

        result.AddError($"${PortVariable} '{text}' is not a port number: set it to {ServerOptions.PortRange}, or unset it and pass --port");
        return default;
    }

    private static IPAddress ParseAddress(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (text == "localhost")
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        result.AddError($"--address '{text}' is not an IP address: use 127.0.0.1 (the default), ::1, or 0.0.0.0 for every interface");
        return IPAddress.Loopback;
    }
}
