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
            Description = $"TCP port to listen on (h2c). Default: ${PortVariable}, else {ServerOptions.DefaultPort}.",
            DefaultValueFactory = PortFromEnvironment,
            CustomParser = result => ParseWholeNumber(result, "a port, 1-65535"),
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
            CustomParser = result => ParseWholeNumber(result, "0 (unlimited) or a number of calls"),
        };
        var queue = new Option<int?>("--queue")
        {
            Description = "Calls that may wait for a capacity slot. Default: the same as --capacity.",
            CustomParser = result => ParseWholeNumber(result, "0 or a number of calls"),
        };
        var drainDelay = DurationOption("--drain-delay", "After SIGTERM, how long to keep serving while reporting NOT_SERVING.", new ServerOptions().DrainDelay);
        var drainTimeout = DurationOption("--drain-timeout", "The longest a graceful stop may take; calls still running then are aborted.", new ServerOptions().DrainTimeout);
        var allowFaults = new Option<bool>("--allow-faults")
        {
            Description = "Let SetFault put behaviour faults (extra delay, failed calls) in force, for failure experiments. Default: off (SetFault is refused).",
        };
        var maxReceive = LimitOption(
            "--max-receive-message-size", "Largest request message accepted, in bytes (4194304 = 4 MiB); larger ones fail with RESOURCE_EXHAUSTED.", ServerOptions.DefaultMessageSize, "bytes");
        var maxSend = LimitOption(
            "--max-send-message-size", "Largest reply message sent, in bytes (4194304 = 4 MiB); a reply_size beyond it fails with RESOURCE_EXHAUSTED.", ServerOptions.DefaultMessageSize, "bytes");
        var maxConnections = LimitOption(
            "--max-concurrent-connections", "Open connections accepted at once; further ones are closed.", ServerOptions.DefaultMaxConcurrentConnections, "connections");
        var maxStreams = LimitOption(
            "--max-streams-per-connection", "Concurrent HTTP/2 streams (calls) per connection.", ServerOptions.DefaultMaxStreamsPerConnection, "streams");

        var root = new RootCommand("One gRPC Load Lab server instance: the lab service over h2c, with health, reflection and stats.")
        {
            port, address, instanceId, capacity, queue, drainDelay, drainTimeout,
            allowFaults, maxReceive, maxSend, maxConnections, maxStreams,
            InstanceProbe.CreateCommand(),
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
                AllowFaults = parse.GetValue(allowFaults),
                MaxReceiveMessageSize = parse.GetValue(maxReceive),
                MaxSendMessageSize = parse.GetValue(maxSend),
                MaxConcurrentConnections = parse.GetValue(maxConnections),
                MaxStreamsPerConnection = parse.GetValue(maxStreams),
            },
            cancellationToken));
        return root;
    }

    /// <summary>An option that takes a duration such as <c>500ms</c> or <c>2s</c>.</summary>
    public static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} Default: {defaultValue.TotalSeconds}s.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => DurationParser.ParseOption(result) ?? default,
    };

    /// <summary>A limit against abusive clients: a whole number, 1 or more (checked when the options are validated).</summary>
    private static Option<int> LimitOption(string name, string description, int defaultValue, string unit) => new(name)
    {
        // The parser shows the default after the description.
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseWholeNumber(result, $"a number of {unit}, 1 or more"),
    };

    private static int ParseWholeNumber(ArgumentResult result, string expected)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{((OptionResult)result.Parent!).Option.Name} '{text}' is not a whole number: give {expected}");
        return default;
    }

    private static int PortFromEnvironment(ArgumentResult result)
    {
        var text = Environment.GetEnvironmentVariable(PortVariable);
        if (string.IsNullOrEmpty(text))
        {
            return ServerOptions.DefaultPort;
        }

        if (int.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"${PortVariable} '{text}' is not a port number: set it to 1-65535, or unset it and pass --port");
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
