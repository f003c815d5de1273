using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>
/// Results of real 3-second runs against 3 local servers, kept as test data: <c>unary-open</c> (open model, an
/// invalid run: the generator fell behind its schedule), <c>unary-closed</c> (closed model against servers with a
/// capacity of 2, so most calls failed RESOURCE_EXHAUSTED), <c>bidi</c> (streaming), and <c>hostile</c>, a hand-edited,
/// partial copy of unary-closed whose names, description and an instance id hold markup and quotes.
/// </summary>
internal static class TestRuns
{
    public const string Hostile = "<script>alert(1)</script>\"&'";

    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Reports", "TestData", name);

    public static RunResult Read(string name) => ResultJson.Read(Path.Combine(Folder(name), ResultJson.FileName));

    /// <summary>A copy of test runs in a fresh reports folder, so that tests can write report files beside them.</summary>
    public static string CopyToTemporaryReports(params string[] names)
    {
        var reports = Directory.CreateTempSubdirectory("loadgen-reports-").FullName;
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.Combine(reports, name));
            File.Copy(Path.Combine(Folder(name), ResultJson.FileName), Path.Combine(reports, name, ResultJson.FileName));
        }

        return reports;
    }
}
