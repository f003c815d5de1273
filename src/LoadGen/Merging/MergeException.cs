namespace GrpcLoadLab.LoadGen.Merging;

/// <summary>Results that cannot be merged into one run, told in one line: which file or agent, what is wrong, what to give instead.</summary>
public sealed class MergeException(string message) : Exception(message);
