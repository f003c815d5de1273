namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>What a template's per-call parts may name about the call being made.</summary>
/// <param name="Call">The call's number in the run, from 1.</param>
/// <param name="Worker">The closed model's caller that makes it, from 0; 0 in the open model, whose calls have no caller.</param>
/// <param name="Agent">The agent's index among the run's agents (<c>--agent K/N</c>), from 0; 0 for a run of one agent.</param>
internal readonly record struct CallContext(long Call, int Worker, int Agent);
