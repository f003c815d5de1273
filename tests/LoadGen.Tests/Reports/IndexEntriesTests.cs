using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Tests.Reports;

/// <summary>The index's per-run cache: made once beside result.json, trusted while result.json is unchanged, made again otherwise.</summary>
public class IndexEntriesTests
{
    [Fact]
    public void A_run_without_an_entry_gets_one_and_its_charts_file_and_a_current_entry_is_used_without_reading_the_result()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            var folder = Path.Combine(reports, "unary-closed");
            var result = Path.Combine(folder, ResultJson.FileName);
            var first = IndexEntries.For(folder);
            Assert.Null(first.Damage);
            Assert.True(File.Exists(Path.Combine(folder, IndexEntry.FileName)));
            Assert.True(File.Exists(Path.Combine(folder, IndexEntries.ChartsFile)));

            // The same length and write time, other bytes: a current entry is used as it is, so the result is not read.
            var written = File.GetLastWriteTimeUtc(result);
            File.WriteAllBytes(result, new byte[new FileInfo(result).Length]);
            File.SetLastWriteTimeUtc(result, written);
            var cached = IndexEntries.For(folder);
            Assert.Null(cached.Damage);
            Assert.Equal(first.Figures, cached.Figures);

            // A changed write time: the result is read again, and found damaged.
            File.SetLastWriteTimeUtc(result, written.AddSeconds(1));
            Assert.Contains("is not valid JSON", IndexEntries.For(folder).Damage, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"version\": 1, \"stamp\": \"1:2\"}")]
    [InlineData("{\"version\": 99, \"stamp\": \"STAMP\", \"damage\": \"old\"}")]
    public void A_damaged_stale_or_foreign_entry_is_made_again_from_the_result(string entry)
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            var folder = Path.Combine(reports, "unary-closed");
            var stamp = IndexEntries.For(folder).Stamp;
            File.WriteAllText(Path.Combine(folder, IndexEntry.FileName), entry.Replace("STAMP", stamp, StringComparison.Ordinal));

            var made = IndexEntries.For(folder);

            Assert.Null(made.Damage);
            Assert.Equal("unary-closed", made.Name);
            Assert.Equal(TestRuns.Read("unary-closed").Totals.CallsPerSecond, made.Figures["callsPerSecond"]);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public void A_damaged_result_is_cached_as_damaged_and_a_repaired_one_is_listed_again()
    {
        var reports = TestRuns.CopyToTemporaryReports("unary-closed");
        try
        {
            var folder = Path.Combine(reports, "unary-closed");
            var result = Path.Combine(folder, ResultJson.FileName);
            var good = File.ReadAllBytes(result);
            DamagedFileTests.Damage(result, "corrupt-base64");

            Assert.Contains("not base64", IndexEntries.For(folder).Damage, StringComparison.Ordinal);
            Assert.Contains("not base64", File.ReadAllText(Path.Combine(folder, IndexEntry.FileName)), StringComparison.Ordinal);

            File.WriteAllBytes(result, good);
            File.SetLastWriteTimeUtc(result, DateTime.UtcNow.AddMinutes(1));
            Assert.Null(IndexEntries.For(folder).Damage);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }
}
