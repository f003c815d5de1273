namespace GrpcLoadLab.Balancer;

/// <summary>A target or option the balancer cannot work with; the message says what is wrong and how to fix it.</summary>
public sealed class BalancerConfigurationException(string message) : Exception(message);
