namespace GrpcLoadLab.Bench.AllocationOwners;

/// <summary>Input the tool cannot use (options, file); its message is printed as the one line of the failure.</summary>
internal sealed class BadInputException(string message) : Exception(message);
