namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// How the load generator's code was compiled as it ran (the project's defaults, or what DOTNET_* variables changed):
/// they decide how long a fresh generator runs slower than a warm one, so two runs that differ in them warm up
/// differently (docs/benchmarks.md, "The generator's warm-up").
/// </summary>
/// <param name="TieredCompilation">Methods compiled quickly first, then again optimised once hot; off, each is compiled optimised once.</param>
/// <param name="TieredPgo">The optimised compilation uses a profile of the method's first calls (dynamic PGO).</param>
/// <param name="QuickJitForLoops">Methods with loops also start quickly compiled (and move to optimised code while they run, OSR).</param>
/// <param name="ReadyToRun">
/// Loadgen's own code came compiled ahead of time (ReadyToRun) and the runtime used it, so its start needed no JIT.
/// </param>
public sealed record JitConfiguration(bool TieredCompilation, bool TieredPgo, bool QuickJitForLoops, bool ReadyToRun);
