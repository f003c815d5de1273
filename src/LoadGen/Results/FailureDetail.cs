namespace GrpcLoadLab.LoadGen.Results;

/// <summary>One reason that failed calls gave, as their status's detail told it, and how many calls gave it.</summary>
/// <param name="Detail">The status's detail: the server's text, or grpc-dotnet's for a failure of its own (e.g. "Error starting gRPC call. HttpRequestException: Connection refused ..."); the exception's type and message for a call that failed outside gRPC; one line, at most <see cref="StatusFailures.MaxDetailLength"/> characters; empty when the status carried none.</param>
public sealed record FailureDetail(string Detail, long Calls);
