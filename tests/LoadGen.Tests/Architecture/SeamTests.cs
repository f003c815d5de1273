using System.Text.RegularExpressions;

namespace GrpcLoadLab.LoadGen.Tests.Architecture;

/// <summary>
/// The seam between measuring and reading (src/LoadGen/README.md): the live run writes <c>result.json</c>, and every
/// reader — <c>Results/</c> (the files' form and figures), <c>Reports/</c>, <c>Study/</c>, <c>Merging/</c> — is made from the file
/// alone, so no file of theirs may name a type of the live run (<c>Metrics/</c>, <c>Load/</c>, <c>Calls/</c>,
/// <c>Runner/</c>, <c>Following/</c>). Checked on the source, as the next maintainer reads it: a reader that reached into the live run
/// would compile, and the pages would then no longer be rebuilt from the file alone.
/// </summary>
public partial class SeamTests
{
    private static readonly string[] Readers = ["Results", "Reports", "Study", "Merging"];
    private static readonly string[] LiveRun = ["Metrics", "Load", "Calls", "Runner", "Following"];
    private static readonly string Source = Path.Combine(RepositoryFolder.Root, "src", "LoadGen");

    [Fact]
    public void No_reader_names_a_type_of_the_live_run()
    {
        var live = LiveRunTypes(Source);
        var readers = Readers.SelectMany(folder => Files(Source, folder)).ToList();
        Assert.NotEmpty(live);
        Assert.NotEmpty(readers);

        var offences = readers.SelectMany(file => Offences(Path.GetRelativePath(RepositoryFolder.Root, file), File.ReadAllText(file), live)).ToList();

        Assert.True(offences.Count == 0, $"readers of result.json name the live run:\n{string.Join('\n', offences)}");
    }

    [Fact]
    public void A_type_or_namespace_of_the_live_run_is_caught_wherever_the_code_names_it()
    {
        var live = new Dictionary<string, string> { ["RunRecorder"] = "Metrics", ["Ticks"] = "Metrics", ["ExitCodes"] = "Runner" };
        const string Text = """
            using GrpcLoadLab.LoadGen.Metrics;
            var recorder = new RunRecorder(scenario);
            var code = Runner.ExitCodes.Passed;
            var text = $"{Ticks.ToMillis(x)} ms";
            """;

        Assert.Equal(
            [
                "F.cs:1 names the namespace GrpcLoadLab.LoadGen.Metrics",
                "F.cs:2 names RunRecorder (Metrics/)",
                "F.cs:3 names ExitCodes (Runner/)",
                "F.cs:4 names Ticks (Metrics/)",
            ],
            Offences("F.cs", Text, live));
    }

    [Fact]
    public void Comments_strings_and_members_of_the_same_name_are_not_uses()
    {
        var live = new Dictionary<string, string> { ["RunRecorder"] = "Metrics", ["Ticks"] = "Metrics" };
        const string Text = """
            // The RunRecorder builds these records; see <see cref="RunRecorder"/>.
            /* RunRecorder */ var stamp = file.LastWriteTimeUtc.Ticks;
            var url = "http://host/"; var label = "RunRecorder";
            var path = @"C:\"; var quote = '"';
            """;

        Assert.Empty(Offences("F.cs", Text, live));
    }

    /// <summary>Each type the live run's folders declare, with its folder.</summary>
    private static Dictionary<string, string> LiveRunTypes(string source)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in LiveRun)
        {
            foreach (var file in Files(source, folder))
            {
                foreach (Match declaration in Declaration().Matches(Code(File.ReadAllText(file))))
                {
                    types.TryAdd(declaration.Groups["name"].Value, folder);
                }
            }
        }

        return types;
    }

    /// <summary>Every line of <paramref name="text"/> that names a live-run type or namespace, as "FILE:LINE names WHAT".</summary>
    private static List<string> Offences(string file, string text, Dictionary<string, string> live)
    {
        var offences = new List<string>();
        var lines = Code(text).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match use in LiveNamespace().Matches(lines[i]))
            {
                offences.Add($"{file}:{i + 1} names the namespace {use.Value}");
            }

            foreach (Match chain in DottedName().Matches(lines[i]))
            {
                var names = chain.Value.Split('.', StringSplitOptions.TrimEntries);
                for (var k = 0; k < names.Length; k++)
                {
                    // After a dot a name is a member (file.LastWriteTimeUtc.Ticks), unless a live-run namespace holds it (Runner.ExitCodes).
                    if (live.TryGetValue(names[k], out var folder) && (k == 0 || LiveRun.Contains(names[k - 1])))
                    {
                        offences.Add($"{file}:{i + 1} names {names[k]} ({folder}/)");
                    }
                }
            }
        }

        return offences;
    }

    /// <summary>The code without its comments or the text of its plain strings, each line kept where it was.</summary>
    private static string Code(string text) =>
        CommentOrString().Replace(text, m => Kept(m.Value) ? m.Value : Regex.Replace(m.Value, "[^\n]", " "));

    private static bool Kept(string literal) => literal.StartsWith('$') || literal.StartsWith("@$", StringComparison.Ordinal) || literal.StartsWith('\'');

    private static IEnumerable<string> Files(string source, string folder)
    {
        var path = Path.Combine(source, folder);
        return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [];
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();

    // A name and the members reached from it by dots (Runner.ExitCodes.Passed), starting where no dot reaches it.
    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*")]
    private static partial Regex DottedName();

    [GeneratedRegex(@"\bGrpcLoadLab\.LoadGen\.(?:Metrics|Load|Calls|Runner)\b")]
    private static partial Regex LiveNamespace();

    // Strings and char literals are matched whole, so that a // inside one starts no comment. An interpolated string
    // ($"...") is kept, since its holes hold code; a plain one is blanked, since its text names nothing.
    [GeneratedRegex("""\$*@\$*"(?:[^"]|"")*"|\$*"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)+'|//[^\n]*|/\*.*?\*/""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
