using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// A run's verdict as JUnit XML, the test report that CI systems read (Jenkins, GitLab, Azure DevOps, GitHub's test
/// reporters): one testsuite for the run, one testcase per threshold and one for the run's validity (the generator's
/// check that it kept up). A failure's message says what was measured against which limit. Made from the run's result
/// alone, like every page, so that any result.json can be turned into one. A sweep's file holds one such testsuite per
/// cell.
/// </summary>
internal static class JUnitReport
{
    public const string ValidityCase = "valid run: the load generator kept up";

    /// <summary>A sweep's cell whose result cannot be read has this one testcase, in error.</summary>
    public const string ResultCase = "result: the cell's result.json is readable";

    /// <summary>Why <paramref name="path"/> cannot take the report, or null when it can: checked before a run starts.</summary>
    public static string? PathProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "--junit needs a file name, e.g. --junit results.xml";
        }

        if (Directory.Exists(path))
        {
            return $"--junit {path} is a folder: give a file name in it, e.g. {Path.Combine(path, "loadgen.xml")}";
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return folder is null || Directory.Exists(folder) ? null : $"--junit {path}: the folder {folder} does not exist: make it first, or write the file elsewhere";
    }

    public static void Write(RunResult result, string path) => Save(Create(result), path);

    /// <summary>Writes a sweep's verdicts, one testsuite per cell (<see cref="CreateForSweep"/>).</summary>
    public static void WriteForSweep(SweepResult sweep, Func<string, RunResult?> readRun, string path) => Save(CreateForSweep(sweep, readRun), path);

    public static XDocument Create(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Document("loadgen", [Suite(result, result.Name, [])]);
    }

    /// <summary>
    /// A sweep's verdicts: one testsuite per cell, named after its place in the grid, with the cell's thresholds and its
    /// validity; a cell whose result cannot be read any more is a suite with one error.
    /// </summary>
    /// <param name="readRun">Reads a cell's run by its folder name; null when it cannot be read.</param>
    public static XDocument CreateForSweep(SweepResult sweep, Func<string, RunResult?> readRun)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(readRun);
        var suites = sweep.Cells.Select((cell, index) =>
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{sweep.Name} [{index + 1}/{sweep.Cells.Count}] {cell.Profile}, {cell.Policy}, {cell.Instances} inst, {cell.LoadText}");
            XElement[] cellProperties = [Property("cell", index + 1), Property("run", cell.RunFolder ?? ""), Property("exit-code", cell.ExitCode)];
            return cell.RunFolder is { } folder && readRun(folder) is { } run
                ? Suite(run, name, cellProperties)
                : UnreadSuite(name, sweep, cell, cellProperties);
        });
        return Document($"loadgen sweep {sweep.Name}", [.. suites]);
    }

    private static void Save(XDocument document, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    /// <summary>The root: the suites' counts and times added up.</summary>
    private static XDocument Document(string name, IReadOnlyList<XElement> suites) => new(new XElement(
        "testsuites",
        new XAttribute("name", name),
        new XAttribute("tests", suites.Sum(s => Count(s, "tests"))),
        new XAttribute("failures", suites.Sum(s => Count(s, "failures"))),
        new XAttribute("errors", suites.Sum(s => Count(s, "errors"))),
        new XAttribute("time", Seconds(suites.Sum(s => double.Parse((string)s.Attribute("time")!, CultureInfo.InvariantCulture)))),
        suites));

    private static XElement Suite(RunResult result, string name, IEnumerable<XElement> extraProperties)
    {
        var className = $"loadgen.{result.Name}";
        var cases = result.Verdict.Thresholds.Select(t => ThresholdCase(t, className)).Append(ValidityCaseOf(result, className)).ToList();
        return new XElement(
            "testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds((result.EndedAt - result.StartedAt).TotalSeconds)),
            new XAttribute("timestamp", result.StartedAt.UtcDateTime.ToString("s", CultureInfo.InvariantCulture)),
            new XAttribute("hostname", result.Environment.Machine),
            new XElement(
                "properties",
                Property("scenario", result.Scenario.Name),
                Property("target", result.Scenario.Target.Address),
                Property("valid", result.Verdict.Valid),
                Property("partial", result.Partial),
                extraProperties),
            cases);
    }

    private static XElement UnreadSuite(string name, SweepResult sweep, SweepCellResult cell, IEnumerable<XElement> properties) => new(
        "testsuite",
        new XAttribute("name", name),
        new XAttribute("tests", 1),
        new XAttribute("failures", 0),
        new XAttribute("errors", 1),
        new XAttribute("skipped", 0),
        new XAttribute("time", Seconds(0)),
        new XElement("properties", properties),
        new XElement(
            "testcase",
            new XAttribute("name", ResultCase),
            new XAttribute("classname", $"loadgen.{sweep.Name}"),
            new XAttribute("time", "0"),
            new XElement(
                "error",
                new XAttribute("type", "missing-result"),
                new XAttribute("message", $"the cell's result could not be read ({cell.RunFolder ?? "no run folder"}): moved, deleted or damaged"))));

    private static int Count(XElement suite, string attribute) => int.Parse((string)suite.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => Math.Max(0, seconds).ToString("F3", CultureInfo.InvariantCulture);

    private static XElement ThresholdCase(ThresholdResult threshold, string className)
    {
        var measured = $"measured {Measured(threshold)} against the limit {threshold.Threshold}";
        return new XElement(
            "testcase",
            new XAttribute("name", threshold.Threshold),
            new XAttribute("classname", className),
            new XAttribute("time", "0"),
            threshold.Passed
                ? new XElement("system-out", measured)
                : new XElement("failure", new XAttribute("type", "threshold"), new XAttribute("message", $"{threshold.Threshold} failed: {measured}"), measured));
    }

    private static XElement ValidityCaseOf(RunResult result, string className)
    {
        var testcase = new XElement("testcase", new XAttribute("name", ValidityCase), new XAttribute("classname", className), new XAttribute("time", "0"));
        if (!result.Verdict.Valid)
        {
            var reasons = string.Join("; ", result.Verdict.InvalidReasons);
            testcase.Add(new XElement(
                "failure",
                new XAttribute("type", "invalid-run"),
                new XAttribute("message", $"the run is invalid, it measured the load generator rather than the servers: {reasons}"),
                string.Join('\n', result.Verdict.InvalidReasons)));
        }

        if (result.Partial)
        {
            var reason = result.PartialReason ?? "interrupted";
            testcase.Add(new XElement(
                "error",
                new XAttribute("type", "partial-run"),
                new XAttribute("message", $"the run did not finish ({reason}): its thresholds were checked on what it measured until then")));
        }

        return testcase;
    }

    /// <summary>The measured value in the threshold's unit: a percentage reads 2.1%, milliseconds as the pages write them.</summary>
    private static string Measured(ThresholdResult threshold) => threshold.Unit switch
    {
        "ms" => NumberFormat.Millis.Format(threshold.Actual) + " ms",
        "%" => Number(threshold.Actual) + "%",
        "" => Number(threshold.Actual),
        var unit => $"{Number(threshold.Actual)} {unit}",
    };

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static XElement Property(string name, object value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", value is bool b ? (b ? "true" : "false") : value));
}
