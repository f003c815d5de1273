namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>What every call of the run does; the server simulates the work the requests ask for.</summary>
public sealed record CallSpec
{
    public CallKind Kind { get; init; } = CallKind.Unary;

    /// <summary>Payload bytes in each request message. Default: 0.</summary>
    public int RequestSize { get; init; }

    /// <summary>Payload bytes in each reply message. Default: 0.</summary>
    public int ReplySize { get; init; }

    /// <summary>Server stream: replies the server sends. Default: 10.</summary>
    public int Replies { get; init; } = 10;

    /// <summary>Client stream and bidi: messages the client sends. Default: 10.</summary>
    public int Messages { get; init; } = 10;

    /// <summary>Client stream and bidi: pause between two sends (bidi: after each echo). Default: none.</summary>
    public TimeSpan MessageInterval { get; init; }

    /// <summary>Awaited delay per reply (I/O-bound work). Default: none.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>CPU spin per reply (CPU-bound work). Default: none.</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>Deadline of each call, from its actual start. Default: 10 s.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);
}
