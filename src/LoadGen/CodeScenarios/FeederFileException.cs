namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>A feeder's JSON-lines file that cannot be read, told in one line naming the file and the line.</summary>
public sealed class FeederFileException(string message) : Exception(message);
