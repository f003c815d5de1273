namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// A call by schema that cannot be made, told in one line naming what and where: an unknown service or method, a
/// schema that does not build, a request that does not fit its message. Bad input: exit 2, nothing started.
/// </summary>
public sealed class DynamicCallException(string message) : Exception(message);
