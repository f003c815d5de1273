using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GrpcLoadLab.LoadGen.Benchmarks;

// Usage: dotnet run -c Release --project bench/LoadGen.Benchmarks -- --filter '*'
// A short job fits a small shared machine; allocated bytes per call, the figure that matters here, do not depend on
// the machine's load. In-process, because an out-of-process run rebuilds src/LoadGen in Release, whose output other
// runs share.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(UnaryCallBenchmarks).Assembly).Run(args, config);
