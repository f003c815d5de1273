using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GrpcLoadLab.EndToEnd.Tests.Namespaces;

/// <summary>
/// Sockets of another network namespace, made by this process: a socket belongs to the namespace of the thread that
/// created it, for its whole life. A thread of its own enters the namespace (setns), creates the socket and leaves.
/// </summary>
internal static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    public static Socket Create(string namespaceName, SocketType type, ProtocolType protocol)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var home = Open("/proc/thread-self/ns/net");
                try
                {
                    var target = Open($"/run/netns/{namespaceName}");
                    try
                    {
                        Enter(target, namespaceName);
                        socket = new Socket(AddressFamily.InterNetwork, type, protocol);
                    }
                    finally
                    {
                        _ = Close(target);
                        // Back home: nothing else this thread might run belongs in the test's network.
                        Enter(home, "this process's own");
                    }
                }
                finally
                {
                    _ = Close(home);
                }
            }
            catch (Exception e) when (e is IOException)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw failure!;
    }

    private static int Open(string path)
    {
        var descriptor = OpenFile(path, ReadOnlyCloseOnExec);
        return descriptor >= 0 ? descriptor : throw new IOException($"cannot open {path} (errno {Marshal.GetLastPInvokeError()})");
    }

    private static void Enter(int descriptor, string what)
    {
        if (SetNamespace(descriptor, CloneNewNet) != 0)
        {
            throw new IOException($"cannot enter the network namespace {what} (setns: errno {Marshal.GetLastPInvokeError()}): this needs root");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int descriptor, int type);
}
