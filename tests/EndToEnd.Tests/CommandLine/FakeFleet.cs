using System.Globalization;

namespace GrpcLoadLab.EndToEnd.Tests.CommandLine;

/// <summary>
/// A stand-in for scripts/servers.sh that starts no server: it writes each command it is given to
/// <c>fleet-calls.txt</c> beside itself, and takes <c>startSeconds</c> to "start", so that a test can send a
/// signal while a sweep waits for its fleet.
/// </summary>
internal static class FakeFleet
{
    public static string Write(string folder, int startSeconds)
    {
        var script = Path.Combine(folder, "fake-servers.sh");
        File.WriteAllText(script, string.Create(CultureInfo.InvariantCulture, $"""
            #!/usr/bin/env bash
            echo "$*" >> "{Path.Combine(folder, "fleet-calls.txt")}"
            if [[ $1 == start ]]; then
              sleep {startSeconds}
              mkdir -p "$LAB_DIR" && echo "127.0.0.1:9" > "$LAB_DIR/servers.txt"
            fi
            """));
        return script;
    }
}
