using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GrpcLoadLab.LoadGen.Tests.Kubernetes;

/// <summary>
/// Runs a container's <c>/bin/sh -c</c> command here, as the container would: its environment, each volume mount at
/// a folder of its own (a ConfigMap's files in it), and the image's <c>/app/loadgen</c> replaced by a recorder that keeps the arguments it was
/// given and the folder it ran in. What the shell hands to loadgen is then exactly what the container's would. A
/// script that waits (<c>sleep</c>) is ended at its first wait, which the run reports.
/// </summary>
internal sealed partial class ContainerShell : IDisposable
{
    /// <summary>Where the load generator's image puts its program (dotnet publish's container support: /app).</summary>
    public const string ImageLoadGen = "/app/loadgen";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly string _root = Directory.CreateTempSubdirectory("kube-shell-").FullName;

    public ContainerShell(KubernetesManifests manifests, Manifest workload, string containerName)
    {
        var container = Container = workload.Container(containerName);
        Environment = manifests.Environment(container);
        var command = container.Texts("command");
        Assert.True(command is ["/bin/sh", "-c", _], $"container {container.Text("name")}: expected command [/bin/sh, -c, SCRIPT], found [{string.Join(", ", command)}]");
        Script = command[2];
        foreach (var mount in container.Items("volumeMounts"))
        {
            var folder = Directory.CreateDirectory(Mount(mount.Text("mountPath"))).FullName;
            var volume = workload.PodSpec.Items("volumes").Single(v => v.Text("name") == mount.Text("name"));
            if (volume.Find("configMap") is { } configMap)
            {
                foreach (var (key, text) in manifests.ConfigMapData(configMap.Text("name")))
                {
                    File.WriteAllText(Path.Combine(folder, key), text);
                }
            }
        }

        WriteProgram("loadgen", $"pwd > '{_root}/cwd'\nprintf '%s\\0' \"$@\" > '{_root}/argv'");
        WriteProgram("sleep", $"touch '{_root}/waited'\nkill -TERM $PPID");
    }

    public YamlMappingNode Container { get; }

    /// <summary>The container's environment as the kubelet builds it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The script as the manifest has it.</summary>
    public string Script { get; }

    /// <summary>The folder that stands for the container's <paramref name="mountPath"/>, or for a path inside it.</summary>
    public string Mount(string mountPath) => Path.Combine(_root, "mounts", mountPath.TrimStart('/'));

    /// <summary>
    /// Runs the script with the container's environment and <paramref name="extra"/> (what Kubernetes adds); returns its exit code and, when it ran loadgen, the
    /// arguments and the working folder, with each mount's stand-in folder written back as the mount path.
    /// </summary>
    public async Task<ShellRun> RunAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        File.Delete(Path.Combine(_root, "argv"));
        File.Delete(Path.Combine(_root, "waited"));
        var startInfo = new ProcessStartInfo("/bin/sh", ["-c", Localise(Script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = $"{_root}:/usr/bin:/bin";
        foreach (var (name, value) in Environment.Concat(extra ?? new Dictionary<string, string>()))
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Limit);
        var waited = File.Exists(Path.Combine(_root, "waited"));
        var argvFile = Path.Combine(_root, "argv");
        if (!File.Exists(argvFile))
        {
            return new ShellRun(process.ExitCode, waited, null, null, await error);
        }

        var arguments = File.ReadAllText(argvFile).Split('\0')[..^1].Select(Containerise).ToList();
        return new ShellRun(process.ExitCode, waited, arguments, Containerise(File.ReadAllText(Path.Combine(_root, "cwd")).TrimEnd('\n')), await error);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteProgram(string name, string body)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("a container's /bin/sh command runs where a container would: on Linux");
        }

        var path = Path.Combine(_root, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The script with the mount paths and the image's loadgen pointed at this machine's stand-ins.</summary>
    private string Localise(string script)
    {
        script = script.Replace(ImageLoadGen, Path.Combine(_root, "loadgen"), StringComparison.Ordinal);
        foreach (var mount in Container.Items("volumeMounts"))
        {
            var path = mount.Text("mountPath");
            script = PathPrefix(path).Replace(script, Mount(path));
        }

        return script;
    }

    private string Containerise(string text)
    {
        foreach (var mount in Container.Items("volumeMounts"))
        {
            text = text.Replace(Mount(mount.Text("mountPath")), mount.Text("mountPath"), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The mount path where it starts a path: /scenario in /scenario/x.json, not in /a/scenario or /scenarios.</summary>
    private static Regex PathPrefix(string mountPath) => new($@"(?<![\w./-]){Regex.Escape(mountPath)}(?=/|""|'|\s|$)");
}

/// <summary>How a container's script ended: whether it began to wait, and what it passed to loadgen (null when it did not run it).</summary>
internal sealed record ShellRun(int ExitCode, bool Waited, IReadOnlyList<string>? LoadGenArguments, string? WorkingFolder, string StandardError);
