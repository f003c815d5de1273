using System.Net;
using System.Net.Sockets;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>Finds ports on 127.0.0.1 that nothing listens on, for servers that must be told their port.</summary>
public static class FreePorts
{
    // Below Linux's ephemeral range (32768 and up), so that outgoing connections do not take them meanwhile.
    private const int Lowest = 20_000;
    private const int Highest = 32_000;
    private const int Attempts = 100;

    /// <summary>The first of <paramref name="count"/> consecutive free ports.</summary>
    public static int FindRange(int count)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var first = Random.Shared.Next(Lowest, Highest - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"found no {count} consecutive free ports between {Lowest} and {Highest}");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
