using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Calls;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Benchmarks;

/// <summary>
/// The lab's Unary called through loadgen's typed driver and by its schema (<c>lab.v1.LoadLab/Unary</c> from
/// protos/lab.proto, the dynamic driver), each through its marshallers on an invoker that answers at once with the
/// same reply bytes (see <see cref="MarshallingInvoker"/>). Allocated bytes of <see cref="CallBySchema"/> minus
/// <see cref="TypedCall"/> are what calling by schema costs beyond the typed client, per call, whatever the machine's load.
/// </summary>
[MemoryDiagnoser]
public class DynamicCallBenchmarks
{
    private const int CallsPerInvoke = 1_000;

    private CallDriver _typed = null!;
    private CallDriver _dynamic = null!;
    private PhaseRecorder _typedPhase = null!;
    private PhaseRecorder _dynamicPhase = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var reply = new WorkReply { InstanceId = "instance-1" }.ToByteArray();
        var typedSpec = new CallSpec { ReplySize = 16 };
        (_typed, _typedPhase) = Driver(typedSpec, (spec, recorder) => CallDriver.Create(new LoadLab.LoadLabClient(new MarshallingInvoker(reply)), spec, recorder, CancellationToken.None));

        using var request = JsonDocument.Parse("""{"replySize": 16, "replyCount": 10}""");
        var dynamicSpec = new CallSpec { Method = "lab.v1.LoadLab/Unary", Protos = [LabProto()], Request = request.RootElement.Clone() };
        var call = (await DynamicCall.PrepareAsync(dynamicSpec, target: "static:127.0.0.1:1", agent: 0, tls: null, CancellationToken.None))!;
        (_dynamic, _dynamicPhase) = Driver(dynamicSpec, (spec, recorder) => new DynamicCallDriver(new MarshallingInvoker(reply), call, spec, recorder, CancellationToken.None));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke)]
    public Task TypedCall() => RunAsync(_typed, _typedPhase);

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public Task CallBySchema() => RunAsync(_dynamic, _dynamicPhase);

    private static async Task RunAsync(CallDriver driver, PhaseRecorder phase)
    {
        for (var n = 0; n < CallsPerInvoke; n++)
        {
            await driver.RunAsync(phase, Stopwatch.GetTimestamp(), worker: n & 63);
        }
    }

    private static (CallDriver Driver, PhaseRecorder Phase) Driver(CallSpec spec, Func<CallSpec, RunRecorder, CallDriver> create)
    {
        var scenario = new Scenario { Name = "benchmark", Call = spec, Phases = [new ConstantConcurrencyPhase(Concurrency: 64, Duration: TimeSpan.FromHours(1))] };
        var recorder = new RunRecorder(scenario, Stopwatch.GetTimestamp());
        return (create(spec, recorder), recorder.Phases[0]);
    }

    /// <summary>protos/lab.proto, found from the benchmark's folder up to the repository's root.</summary>
    private static string LabProto()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var proto = Path.Combine(folder.FullName, "protos", "lab.proto");
            if (File.Exists(proto))
            {
                return proto;
            }
        }

        throw new FileNotFoundException("protos/lab.proto not found above " + AppContext.BaseDirectory);
    }
}
