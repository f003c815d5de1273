using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>
/// <c>loadgen run --junit</c>'s file, made from real runs' results and checked against the JUnit schema that Jenkins'
/// xUnit plugin reads (Reports/JUnit/junit-10.xsd, vendored with its source).
/// </summary>
public class JUnitReportTests
{
    private static readonly XmlSchemaSet Schema = LoadSchema();

    [Fact]
    public void A_passing_and_a_failing_threshold_of_a_valid_run_are_two_testcases_one_failed_with_what_was_measured()
    {
        var result = TestRuns.Read("unary-closed");

        var suite = WriteAndValidate(result);

        Assert.Equal("unary-closed", (string?)suite.Attribute("name"));
        Assert.Equal(("3", "1", "0"), ((string?)suite.Attribute("tests"), (string?)suite.Attribute("failures"), (string?)suite.Attribute("errors")));
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(["p99 < 50ms", "errors < 1%", JUnitReport.ValidityCase], cases.Select(c => (string?)c.Attribute("name")));
        Assert.Null(cases[0].Element("failure"));
        Assert.Equal("measured 29.9 ms against the limit p99 < 50ms", cases[0].Element("system-out")!.Value);
        var failure = cases[1].Element("failure")!;
        Assert.Equal("threshold", (string?)failure.Attribute("type"));
        Assert.Equal("errors < 1% failed: measured 62.38% against the limit errors < 1%", (string?)failure.Attribute("message"));
        Assert.Empty(cases[2].Elements());
        var seconds = double.Parse((string)suite.Attribute("time")!, System.Globalization.CultureInfo.InvariantCulture);
        // Written to the millisecond, however the writer rounded.
        Assert.Equal((result.EndedAt - result.StartedAt).TotalSeconds, seconds, tolerance: 0.001);
    }

    [Fact]
    public void An_invalid_run_fails_its_validity_testcase_with_the_generator_s_reasons()
    {
        var result = TestRuns.Read("unary-open");

        var suite = WriteAndValidate(result);

        var validity = suite.Elements("testcase").Single(c => (string?)c.Attribute("name") == JUnitReport.ValidityCase);
        var failure = validity.Element("failure")!;
        Assert.Equal("invalid-run", (string?)failure.Attribute("type"));
        Assert.Contains(result.Verdict.InvalidReasons[0], (string?)failure.Attribute("message"), StringComparison.Ordinal);
        Assert.Equal(result.Verdict.Thresholds.Count(t => !t.Passed) + 1, int.Parse((string)suite.Attribute("failures")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_run_whose_thresholds_all_held_has_no_failure()
    {
        var read = TestRuns.Read("unary-closed");
        var result = read with { Verdict = read.Verdict with { ThresholdsPassed = true, Thresholds = [.. read.Verdict.Thresholds.Select(t => t with { Passed = true })] } };

        var suite = WriteAndValidate(result);

        Assert.Equal("0", (string?)suite.Attribute("failures"));
        Assert.Empty(suite.Descendants("failure"));
        Assert.Empty(suite.Descendants("error"));
    }

    [Fact]
    public void A_partial_run_has_an_error_and_markup_in_its_names_stays_text()
    {
        var result = TestRuns.Read("hostile");

        var suite = WriteAndValidate(result);

        Assert.Equal(result.Name, (string?)suite.Attribute("name"));
        Assert.Equal("1", (string?)suite.Attribute("errors"));
        Assert.Equal("partial-run", (string?)suite.Descendants("error").Single().Attribute("type"));
        Assert.Empty(suite.Descendants("script"));
    }

    [Fact]
    public void A_sweep_has_one_testsuite_per_cell_with_its_thresholds_and_validity_and_the_totals_add_up()
    {
        var runs = new Dictionary<string, RunResult> { ["cell-1"] = TestRuns.Read("unary-closed"), ["cell-2"] = TestRuns.Read("unary-open") };
        var sweep = Sweep(
            new SweepCellResult("io", "round_robin", 1, false, 8, "cell-1", 0),
            new SweepCellResult("io", "round_robin", 2, true, 800, "cell-2", 3),
            new SweepCellResult("cpu", "round_robin", 4, false, 16, "moved-away", 0));

        var path = Path.Combine(Directory.CreateTempSubdirectory("junit-").FullName, "sweep.xml");
        JUnitReport.WriteForSweep(sweep, folder => runs.GetValueOrDefault(folder), path);

        Assert.Empty(SchemaErrors(path));
        var root = XDocument.Load(path).Root!;
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(
            ["study [1/3] io, round_robin, 1 inst, 8 concurrent", "study [2/3] io, round_robin, 2 inst, 800/s", "study [3/3] cpu, round_robin, 4 inst, 16 concurrent"],
            suites.Select(s => (string?)s.Attribute("name")));
        foreach (var (suite, run) in suites.Take(2).Zip(runs.Values))
        {
            Assert.Equal(
                [.. run.Verdict.Thresholds.Select(t => t.Threshold), JUnitReport.ValidityCase],
                suite.Elements("testcase").Select(c => (string?)c.Attribute("name")));
            Assert.Equal(run.Verdict.Thresholds.Count(t => !t.Passed) + (run.Verdict.Valid ? 0 : 1), suite.Elements("testcase").Count(c => c.Element("failure") is not null));
        }

        Assert.Equal("3", Property(suites[1], "exit-code"));
        Assert.Equal("cell-2", Property(suites[1], "run"));
        var unread = suites[2].Elements("testcase").Single();
        Assert.Equal(JUnitReport.ResultCase, (string?)unread.Attribute("name"));
        Assert.Contains("moved-away", (string?)unread.Element("error")!.Attribute("message"), StringComparison.Ordinal);
        foreach (var count in new[] { "tests", "failures", "errors" })
        {
            Assert.Equal(suites.Sum(s => int.Parse((string)s.Attribute(count)!, CultureInfo.InvariantCulture)), int.Parse((string)root.Attribute(count)!, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void The_file_s_folder_must_exist_and_the_path_must_not_be_a_folder()
    {
        var folder = Directory.CreateTempSubdirectory("junit-").FullName;

        Assert.Null(JUnitReport.PathProblem(Path.Combine(folder, "run.xml")));
        Assert.Contains("is a folder", JUnitReport.PathProblem(folder), StringComparison.Ordinal);
        Assert.Contains("does not exist", JUnitReport.PathProblem(Path.Combine(folder, "missing", "run.xml")), StringComparison.Ordinal);
        Assert.Contains("needs a file name", JUnitReport.PathProblem(" "), StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_check_refuses_what_CI_tools_would_refuse()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("junit-").FullName, "bad.xml");
        File.WriteAllText(path, "<testsuites><testsuite name=\"x\" tests=\"1\" time=\"1 s\"><testcase/></testsuite></testsuites>");

        var errors = SchemaErrors(path);

        Assert.Contains(errors, e => e.Contains("'failures'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'time'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'name'", StringComparison.Ordinal));
    }

    private static SweepResult Sweep(params SweepCellResult[] cells) => new(
        SweepResult.SchemaName, SweepResult.CurrentVersion, "study", false, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Study.StudySweeps.Spec("study"), 2, cells);

    private static string? Property(XElement suite, string name) =>
        (string?)suite.Element("properties")!.Elements("property").Single(p => (string?)p.Attribute("name") == name).Attribute("value");

    /// <summary>Writes the file as the command does, validates it against the schema, and returns its one testsuite.</summary>
    private static XElement WriteAndValidate(RunResult result)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("junit-").FullName, "run.xml");
        JUnitReport.Write(result, path);

        Assert.Empty(SchemaErrors(path));
        var document = XDocument.Load(path);
        Assert.Equal("testsuites", document.Root!.Name.LocalName);
        return Assert.Single(document.Root.Elements("testsuite"));
    }

    private static List<string> SchemaErrors(string path)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schema };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using var reader = XmlReader.Create(path, settings);
        while (reader.Read())
        {
        }

        return errors;
    }

    private static XmlSchemaSet LoadSchema()
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Reports", "JUnit", "junit-10.xsd"));
        schemas.Compile();
        return schemas;
    }
}
