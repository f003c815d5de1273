namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>What a call has done so far; its driver fills it in as messages go and come.</summary>
internal sealed class CallProgress
{
    /// <summary>The closed model's caller that makes the call, from 0; 0 in the open model.</summary>
    public int Worker { get; init; }

    public long FirstMessage { get; set; }

    public string? InstanceId { get; set; }

    public long BytesSent { get; set; }

    public long BytesReceived { get; set; }

    public int MessagesSent { get; set; }

    public int MessagesReceived { get; set; }

    /// <summary>How the first reply that failed the call's checks failed them; null when none did (or nothing was checked).</summary>
    public string? Mismatch { get; set; }
}
