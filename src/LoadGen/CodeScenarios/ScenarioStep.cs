namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>
/// One measured iteration of a C# scenario: makes any call — gRPC through the run's balanced channel
/// (<see cref="StepContext.Client{TClient}"/>), HTTP, anything — and says how it went. The engine times it from when
/// it was due; a step that throws counts as failed (an <see cref="Grpc.Core.RpcException"/> with its status, any other
/// exception as UNKNOWN), never as the generator's failure.
/// </summary>
public delegate ValueTask<StepResult> ScenarioStep(StepContext context);
