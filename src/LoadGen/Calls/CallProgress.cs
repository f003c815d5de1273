namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>What a call has done so far; its driver fills it in as messages go and come.</summary>
internal sealed class CallProgress
{
    public long FirstMessage { get; set; }

    public string? InstanceId { get; set; }

    public long BytesSent { get; set; }

    public long BytesReceived { get; set; }

    public int MessagesSent { get; set; }

    public int MessagesReceived { get; set; }
}
