using System.Runtime.CompilerServices;
using Google.Protobuf;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.CodeScenarios;
using GrpcLoadLab.LoadGen.Scenarios;

// Runs a scenario file of the lab's unary call as a C# scenario: the same target, phases and deadline, and the request
// loadgen's typed driver sends (src/LoadGen/Calls/LabCallDriver.cs), made by a step. Writes the run as loadgen does
// and exits with loadgen run's exit code.
//   StepLoop SCENARIO.json NAME
if (args.Length != 2)
{
    Console.Error.WriteLine("step-loop: give a scenario file of unary lab calls and a run name: StepLoop SCENARIO.json NAME");
    return 2;
}

Scenario file;
try
{
    file = ScenarioLoader.Load(args[0]);
}
catch (ScenarioException e)
{
    Console.Error.WriteLine($"step-loop: {e.Message}");
    return 2;
}

if (file.Call.Kind != CallKind.Unary || file.Call.Method is not null)
{
    Console.Error.WriteLine($"step-loop: {args[0]}: the call must be the lab's unary call");
    return 2;
}

var call = file.Call;
var request = new WorkRequest
{
    Payload = UnsafeByteOperations.UnsafeWrap(new byte[call.RequestSize]),
    ReplySize = call.ReplySize,
    ReplyCount = call.Replies,
    DelayMicros = (long)call.Delay.TotalMicroseconds,
    CpuMicros = (long)call.Cpu.TotalMicroseconds,
};
// With gRPC's 5-byte frame header, as the typed driver counts them.
const int FrameHeaderBytes = 5;
var requestBytes = request.CalculateSize() + FrameHeaderBytes;

var scenario = new CodeScenario(
    file with { Name = args[1], Call = new CallSpec { Deadline = call.Deadline } },
    // Its state reused from call to call, as the typed driver's is.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
async ValueTask<StepResult> (context) =>
    {
        var reply = await context.Client<LoadLab.LoadLabClient>().UnaryAsync(request, context.CallOptions);
        return StepResult.Ok(requestBytes, reply.CalculateSize() + FrameHeaderBytes, reply.InstanceId);
    });
return await scenario.RunInConsoleAsync();
