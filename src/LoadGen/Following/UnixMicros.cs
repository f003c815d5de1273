namespace GrpcLoadLab.LoadGen.Following;

/// <summary>The wall clock as the servers' seconds give it: microseconds since the Unix epoch.</summary>
internal static class UnixMicros
{
    public static long Now => Of(DateTimeOffset.UtcNow);

    public static long Of(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
