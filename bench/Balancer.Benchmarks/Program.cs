using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GrpcLoadLab.Balancer.Benchmarks;

// Usage: dotnet run -c Release --project bench/Balancer.Benchmarks -- --filter '*'
// A short job fits a small shared machine. In-process, because an out-of-process run rebuilds src/Server and
// src/Balancer in Release, whose outputs the fleet script and other runs share.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
// The lab server's assembly has a Program type too, hence a benchmark type to name this assembly.
BenchmarkSwitcher.FromAssembly(typeof(LeastOutstandingPickerBenchmarks).Assembly).Run(args, config);
