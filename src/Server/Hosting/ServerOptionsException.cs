namespace GrpcLoadLab.Server.Hosting;

/// <summary>A setting the server cannot start with; the message says what is wrong and how to fix it.</summary>
public sealed class ServerOptionsException(string message) : Exception(message);
