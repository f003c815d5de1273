using GrpcLoadLab.Balancer.Policies;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>A picker a channel built, and how many ready subchannels it chooses from.</summary>
internal sealed record RecordedPicker(LeastOutstandingPicker Picker, int ReadyCount);
