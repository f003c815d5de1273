using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>A cell the sweep has run and written: what its command is handed to show it (pages, a line of figures).</summary>
/// <param name="Result">The cell as <c>sweep.json</c> records it.</param>
/// <param name="Run">The cell's run, as its <c>result.json</c> holds it.</param>
/// <param name="RunFolder">The folder of that <c>result.json</c>.</param>
/// <param name="SweepFolder">The folder of the sweep's <c>sweep.json</c>, where its study will be.</param>
public sealed record FinishedCell(SweepCell Cell, SweepCellResult Result, RunResult Run, string RunFolder, string SweepFolder);
