namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>Input a report cannot be made from (a folder without a result, runs that cannot be compared); its message is the one line the user sees.</summary>
public sealed class ReportException(string message) : Exception(message);
