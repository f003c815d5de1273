using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GrpcLoadLab.Server.Benchmarks;

// Usage: dotnet run -c Release --project bench/Server.Benchmarks -- --filter '*'
// A short job fits a small shared machine; allocated bytes per call do not depend on the machine's load. In-process,
// because an out-of-process run rebuilds src/Server in Release, whose output the fleet script and other runs share.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
// The lab server's assembly has a Program type too, hence a benchmark type to name this assembly.
BenchmarkSwitcher.FromAssembly(typeof(CallCountingBenchmarks).Assembly).Run(args, config);
