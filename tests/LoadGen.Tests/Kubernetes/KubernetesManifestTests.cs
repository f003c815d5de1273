extern alias LabServer;

using System.CommandLine;
using System.Globalization;
using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Commands;
using GrpcLoadLab.LoadGen.Scenarios;
using LabServer::GrpcLoadLab.Server.Hosting;
using YamlDotNet.RepresentationModel;

namespace GrpcLoadLab.LoadGen.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes, read with a YAML parser and held against the code it runs: selectors and labels, the server's
/// flags (its own parser), ports, probes on its health service, the drain against the grace period, and the Jobs'
/// shell commands run here so that loadgen's own parser reads the very arguments a pod would pass.
/// </summary>
public class KubernetesManifestTests
{
    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load();

    private static Manifest Server => Manifests.Single("Deployment", "lab-server");

    private static Manifest Service => Manifests.Single("Service", "lab-server");

    private static Manifest LoadJob => Manifests.Single("Job", "lab-load");

    private static Manifest MergeJob => Manifests.Single("Job", "lab-merge");

    private static IReadOnlyDictionary<string, string> Run => Manifests.ConfigMapData("lab-run");

    private static int Agents => int.Parse(Run["AGENTS"], CultureInfo.InvariantCulture);

    [Fact]
    public void The_kustomization_lists_every_manifest_and_everything_they_refer_to_exists()
    {
        var files = Directory.GetFiles(KubernetesManifests.Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.Equal(files.Order(StringComparer.Ordinal), Manifests.Kustomization.Texts("resources").Order(StringComparer.Ordinal));
        Assert.All(Manifests.Resources, r => Assert.Matches("^[a-z0-9-]+$", r.Name));

        var claims = Manifests.Resources.Where(r => r.Kind == "PersistentVolumeClaim").Select(r => r.Name).ToList();
        var images = Manifests.Kustomization.Items("images").Select(i => i.Text("name")).ToList();
        foreach (var workload in Manifests.Resources.Where(r => r.PodTemplate is not null))
        {
            foreach (var volume in workload.PodSpec.Items("volumes"))
            {
                if (volume.Find("configMap") is { } configMap)
                {
                    Assert.Contains(configMap.Text("name"), Manifests.GeneratedConfigMaps);
                }
                else
                {
                    Assert.Contains(volume.Map("persistentVolumeClaim").Text("claimName"), claims);
                }
            }

            foreach (var container in workload.PodSpec.Items("containers").Concat(workload.PodSpec.Items("initContainers")))
            {
                Assert.Contains(container.Text("image"), images);
                Assert.All(container.Items("volumeMounts"), mount => Assert.Single(workload.PodSpec.Items("volumes"), v => v.Text("name") == mount.Text("name")));
                Assert.All(container.Items("envFrom"), source => Assert.Contains(source.Map("configMapRef").Text("name"), Manifests.GeneratedConfigMaps));
            }
        }
    }

    [Fact]
    public async Task Kustomize_renders_them_and_an_overlay_patches_servers_agents_and_images_consistently()
    {
        // The README's overlay, beside a folder of the test's own (kustomize takes relative paths only).
        var overlay = Directory.CreateTempSubdirectory("kube-overlay-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), $$"""
                resources: [{{Path.GetRelativePath(overlay, KubernetesManifests.Folder)}}]
                replicas: [{ name: lab-server, count: 5 }]
                patches:
                  - target: { kind: Job, name: lab-load }
                    patch: |-
                      - { op: replace, path: /spec/parallelism, value: 4 }
                      - { op: replace, path: /spec/completions, value: 4 }
                configMapGenerator:
                  - { name: lab-run, behavior: merge, literals: [AGENTS=4] }
                images:
                  - { name: grpc-load-lab/server, newName: registry.example.com/grpc-load-lab/server }
                """);
            var rendered = await Kustomize.RenderAsync(overlay);

            var run = Assert.Single(rendered, r => r.Kind == "ConfigMap" && r.Name.StartsWith("lab-run-", StringComparison.Ordinal));
            var load = Assert.Single(rendered, r => r.Kind == "Job" && r.Name == "lab-load");
            Assert.Equal("4", run.Root.Map("data").Text("AGENTS"));
            Assert.Equal(4, load.Root.Map("spec").Int("parallelism"));
            Assert.Equal(4, load.Root.Map("spec").Int("completions"));
            Assert.Equal(5, Assert.Single(rendered, r => r.Kind == "Deployment").Root.Map("spec").Int("replicas"));
            Assert.Equal("registry.example.com/grpc-load-lab/server:dev", Assert.Single(rendered, r => r.Kind == "Deployment").Container("server").Text("image"));

            // Every reference to a generated ConfigMap now names the generated one (its name with the content's hash).
            var configMaps = rendered.Where(r => r.Kind == "ConfigMap").Select(r => r.Name).ToList();
            foreach (var workload in rendered.Where(r => r.PodTemplate is not null))
            {
                var references = workload.PodSpec.Items("volumes").Select(v => v.Find("configMap")?.Find("name")).OfType<YamlScalarNode>().Select(n => n.Value!)
                    .Concat(workload.PodSpec.Items("containers").Concat(workload.PodSpec.Items("initContainers")).SelectMany(c => c.Items("envFrom")).Select(e => e.Map("configMapRef").Text("name")));
                Assert.All(references, name => Assert.Contains(name, configMaps));
            }
        }
        finally
        {
            Directory.Delete(overlay, recursive: true);
        }
    }

    [Fact]
    public void Every_selector_matches_the_labels_of_what_it_selects()
    {
        var workloads = Manifests.Resources.Where(r => r.PodTemplate is not null).ToList();
        Assert.Equal(3, workloads.Count);
        foreach (var workload in workloads)
        {
            // A Deployment must select its own pods; a Job's selector is made by Kubernetes and must not be written.
            if (workload.Kind == "Deployment")
            {
                AssertSelects(workload.Root.Map("spec").Map("selector").Strings("matchLabels"), workload.PodLabels, $"{workload}'s selector");
            }
            else
            {
                Assert.Null(workload.Root.Map("spec").Find("selector"));
            }

            foreach (var spread in workload.PodSpec.Items("topologySpreadConstraints"))
            {
                AssertSelects(spread.Map("labelSelector").Strings("matchLabels"), workload.PodLabels, $"{workload}'s topology spread");
            }
        }

        // The Service selects the server's pods and no others: the agents must never be in its DNS answer.
        var selector = Service.Root.Map("spec").Strings("selector");
        Assert.Equal([Server], workloads.Where(w => selector.All(label => w.PodLabels.GetValueOrDefault(label.Key) == label.Value)));
        Assert.Equal("None", Service.Root.Map("spec").Text("clusterIP"));
    }

    [Fact]
    public async Task The_server_runs_with_flags_its_own_parser_accepts_and_listens_on_the_ports_the_manifests_name()
    {
        var options = await ServerOptionsAsync();

        // Reachable on the pod's own address (the kubelet's probes and the agents), each pod with its own id.
        Assert.Equal(IPAddress.Any, options.Address);
        Assert.Equal(KubernetesManifests.ExamplePodName, options.InstanceId);

        var port = Assert.Single(Server.Container("server").Items("ports"));
        Assert.Equal(options.Port, port.Int("containerPort"));
        var servicePort = Assert.Single(Service.Root.Map("spec").Items("ports"));
        Assert.Equal(options.Port, servicePort.Int("port"));
        Assert.Equal(port.Text("name"), servicePort.Text("targetPort"));
    }

    [Fact]
    public async Task The_probes_ask_the_health_service_of_the_server_for_names_it_serves()
    {
        var options = await ServerOptionsAsync();
        var container = Server.Container("server");
        var readiness = container.Map("readinessProbe").Map("grpc");
        var liveness = container.Map("livenessProbe").Map("grpc");
        Assert.Equal(options.Port, readiness.Int("port"));
        Assert.Equal(options.Port, liveness.Int("port"));
        // Ready while the lab's own service is: the server turns it NOT_SERVING the moment it starts to drain.
        Assert.Equal(LoadLab.Descriptor.FullName, readiness.Text("service"));

        // The kubelet's probe is grpc.health.v1.Health/Check with the probe's service name: ask a real server the same.
        await using var server = await InProcessFleet.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://{server.Address()}");
        var health = new Health.HealthClient(channel);
        foreach (var service in new[] { readiness.Text("service"), liveness.Text("service") })
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = service });
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        }

        // A name the server does not know is refused, so a misspelt probe could not pass this test.
        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "lab.v1.LoadLabb" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_grace_period_covers_the_preStop_and_the_whole_drain_and_the_drain_outlasts_readiness()
    {
        var options = await ServerOptionsAsync();
        var pod = Server.PodSpec;
        var container = Server.Container("server");
        var preStop = TimeSpan.FromSeconds(container.Map("lifecycle").Map("preStop").Map("sleep").Int("seconds"));
        var grace = TimeSpan.FromSeconds(pod.Int("terminationGracePeriodSeconds"));

        // The kubelet's SIGKILL comes at the end of the grace period, which the preStop hook spends first.
        Assert.True(preStop + options.DrainTimeout < grace, $"preStop {preStop} + drain timeout {options.DrainTimeout} must end before the grace period {grace}");

        // The server serves on for the drain delay after NOT_SERVING: the readiness probe sees that within it.
        var readiness = container.Map("readinessProbe");
        var noticed = TimeSpan.FromSeconds(readiness.Int("periodSeconds") * readiness.Int("failureThreshold"));
        Assert.True(noticed <= options.DrainDelay, $"readiness notices a draining pod after up to {noticed}, the drain delay {options.DrainDelay} is shorter");
    }

    [Fact]
    public void The_load_job_is_indexed_with_one_pod_per_agent_and_never_runs_an_agent_twice()
    {
        var spec = LoadJob.Root.Map("spec");
        Assert.Equal("Indexed", spec.Text("completionMode"));
        Assert.Equal(Agents, spec.Int("completions"));
        Assert.Equal(Agents, spec.Int("parallelism"));
        Assert.Equal(0, spec.Int("backoffLimitPerIndex"));
        Assert.Equal("Never", LoadJob.PodSpec.Text("restartPolicy"));
        Assert.Equal("Never", MergeJob.PodSpec.Text("restartPolicy"));
    }

    [Fact]
    public async Task The_load_jobs_command_gives_each_agent_its_index_one_start_and_flags_loadgen_run_parses()
    {
        var runs = await AgentRunsAsync();
        var serviceTarget = $"dns:{Service.Name}:{Assert.Single(Service.Root.Map("spec").Items("ports")).Int("port")}";

        Assert.Equal(Enumerable.Range(1, Agents).Select(k => AgentsInterface.Agent(k, Agents)), runs.Select(r => r.Agent));
        var startAt = Assert.Single(runs.Select(r => r.StartAt).Distinct());
        Assert.Equal(Run["START_AT"], startAt);
        Assert.Equal(startAt, AgentsInterface.StartAt(DateTimeOffset.Parse(startAt, CultureInfo.InvariantCulture)));
        Assert.Equal(runs.Count, runs.Select(r => r.WorkingFolder).Distinct().Count());
        Assert.All(runs, r => Assert.StartsWith($"/results/{Run["RUN"]}/agent-", r.WorkingFolder, StringComparison.Ordinal));

        foreach (var run in runs)
        {
            Assert.Equal("run", run.Parse.CommandResult.Command.Name);

            // The scenario file is the ConfigMap's, and it loads; its target and the one given are the headless Service.
            Assert.Equal(serviceTarget, run.Parse.GetValue<string>("--target"));
            Assert.Equal(serviceTarget, run.Scenario.Target.Address.Text);
            Assert.NotNull(run.Scenario.Target.DnsRefresh);
        }
    }

    [Fact]
    public async Task The_load_jobs_agent_flags_are_loadgen_runs_own()
    {
        foreach (var run in await AgentRunsAsync())
        {
            Assert.Empty(LoadGenCommandLine.Parse(run.Arguments).Errors);
        }
    }

    [Fact]
    public async Task The_merge_job_waits_for_every_agents_result_then_merges_each_agents_run_once()
    {
        using var wait = new ContainerShell(Manifests, MergeJob, "wait-for-agents");
        using var merge = new ContainerShell(Manifests, MergeJob, "merge");
        var runFolders = AgentRunFolders.ToList();

        // One agent short: the init container waits (its sleep ends the test's shell and says so).
        foreach (var folder in runFolders.Skip(1))
        {
            WriteRun(wait, folder);
        }

        var waiting = await wait.RunAsync();
        Assert.True(waiting.Waited, $"with {Agents - 1} of {Agents} results the init container must wait: {waiting}");
        WriteRun(wait, runFolders[0]);
        var ready = await wait.RunAsync();
        Assert.False(ready.Waited);
        Assert.Equal(0, ready.ExitCode);

        foreach (var folder in runFolders)
        {
            WriteRun(merge, folder);
        }

        var merged = await merge.RunAsync();
        Assert.Equal(0, merged.ExitCode);
        var arguments = merged.LoadGenArguments!;
        Assert.Equal("merge", arguments[0]);
        Assert.Equal(runFolders, arguments.Skip(1).Take(Agents).Select(a => a.TrimEnd('/')));
        Assert.Equal(["-o", $"/results/{Run["RUN"]}/merged"], arguments.Skip(1 + Agents));
    }

    [Fact]
    public async Task The_merge_jobs_arguments_are_loadgen_merges_own()
    {
        using var merge = new ContainerShell(Manifests, MergeJob, "merge");
        foreach (var folder in AgentRunFolders)
        {
            WriteRun(merge, folder);
        }

        var run = await merge.RunAsync();

        Assert.Empty(LoadGenCommandLine.Parse(run.LoadGenArguments!).Errors);
    }

    /// <summary>Where each agent's run lands on the results volume: its folder, reports/, then the run's own folder.</summary>
    private static IEnumerable<string> AgentRunFolders =>
        Enumerable.Range(1, Agents).Select(k => $"/results/{Run["RUN"]}/agent-{k}/reports/20261202-100000-kube-unary-open");

    /// <summary>An agent's run as loadgen leaves it: its result.json, and beside the run the reports index, which is no run.</summary>
    private static void WriteRun(ContainerShell shell, string runFolder)
    {
        Directory.CreateDirectory(shell.Mount(runFolder));
        File.WriteAllText(Path.Combine(shell.Mount(runFolder), "result.json"), "{}");
        File.WriteAllText(Path.Combine(shell.Mount(Path.GetDirectoryName(runFolder)!), "index.html"), string.Empty);
    }

    private static void AssertSelects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels, string what)
    {
        Assert.NotEmpty(selector);
        Assert.All(selector, label => Assert.True(
            labels.TryGetValue(label.Key, out var value) && value == label.Value,
            $"{what} asks for {label.Key}={label.Value}, and the pods are labelled {string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"))}"));
    }

    /// <summary>The server container's arguments, expanded as the kubelet does, read by the server's own command line.</summary>
    private static async Task<ServerOptions> ServerOptionsAsync()
    {
        var container = Server.Container("server");
        var environment = Manifests.Environment(container);
        var arguments = container.Texts("args").Select(a => KubernetesManifests.Expand(a, environment)).ToArray();
        ServerOptions? parsed = null;
        var parse = ServerCommandLine.Create((options, _) =>
        {
            parsed = options;
            return Task.FromResult(0);
        }).Parse(arguments);
        Assert.Empty(parse.Errors);
        Assert.Equal(0, await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }));
        parsed!.Validate();
        return parsed;
    }

    /// <summary>The load Job's script run for every index, each with the volumes' files in place.</summary>
    private static async Task<IReadOnlyList<AgentRun>> AgentRunsAsync()
    {
        var runs = new List<AgentRun>();
        for (var index = 0; index < Agents; index++)
        {
            using var shell = new ContainerShell(Manifests, LoadJob, "loadgen");
            var run = await shell.RunAsync(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = index.ToString(CultureInfo.InvariantCulture) });
            Assert.True(run.ExitCode == 0 && run.LoadGenArguments is not null, $"index {index}: {run}");
            var (agent, startAt, _) = AgentsInterface.Split(run.LoadGenArguments);
            Assert.NotNull(agent);
            Assert.NotNull(startAt);
            var parse = LoadGenCommandLine.Parse(run.LoadGenArguments);
            Assert.Empty(parse.Errors);
            var scenario = ScenarioLoader.Load(shell.Mount(parse.GetValue<string>("scenario")!));
            runs.Add(new AgentRun(run.LoadGenArguments, agent, startAt, parse, scenario, run.WorkingFolder!));
        }

        return runs;
    }

    /// <param name="Parse">The arguments, as loadgen run parses them.</param>
    private sealed record AgentRun(IReadOnlyList<string> Arguments, string Agent, string StartAt, ParseResult Parse, Scenario Scenario, string WorkingFolder);
}
