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
/// alone, like every page, so that any result.json can be turned into one.
/// </summary>
internal static class JUnitReport
{
    public const string ValidityCase = "valid run: the load generator kept up";

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

    public static void Write(RunResult result, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
        using var writer = XmlWriter.Create(path, settings);
        Create(result).Save(writer);
    }

    public static XDocument Create(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var className = $"loadgen.{result.Name}";
        var cases = result.Verdict.Thresholds.Select(t => ThresholdCase(t, className)).Append(ValidityCaseOf(result, className)).ToList();
        var failures = cases.Count(c => c.Element("failure") is not null);
        var errors = cases.Count(c => c.Element("error") is not null);
        var seconds = Math.Max(0, (result.EndedAt - result.StartedAt).TotalSeconds).ToString("F3", CultureInfo.InvariantCulture);
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", result.Name),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("skipped", 0),
            new XAttribute("time", seconds),
            new XAttribute("timestamp", result.StartedAt.UtcDateTime.ToString("s", CultureInfo.InvariantCulture)),
            new XAttribute("hostname", result.Environment.Machine),
            new XElement(
                "properties",
                Property("scenario", result.Scenario.Name),
                Property("target", result.Scenario.Target.Address),
                Property("valid", result.Verdict.Valid),
                Property("partial", result.Partial)),
            cases);
        return new XDocument(new XElement(
            "testsuites",
            new XAttribute("name", "loadgen"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("time", seconds),
            suite));
    }

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
