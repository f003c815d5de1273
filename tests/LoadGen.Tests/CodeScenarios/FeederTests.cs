using System.Collections.Concurrent;
using GrpcLoadLab.LoadGen.CodeScenarios;

namespace GrpcLoadLab.LoadGen.Tests.CodeScenarios;

public sealed class FeederTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loadgen-feeder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void In_order_hands_out_each_item_once_then_says_it_is_empty()
    {
        var feeder = new Feeder<string>("users", ["ann", "bob", "cy"], FeederOrder.InOrder);

        Assert.Equal(["ann", "bob", "cy"], [feeder.Next(), feeder.Next(), feeder.Next()]);
        var empty = Assert.Throws<FeederExhaustedException>(() => feeder.Next());
        Assert.Equal("the feeder 'users' has handed out all its 3 items in order: give it more, or make it Circular", empty.Message);
    }

    [Fact]
    public void Circular_starts_again_from_the_first_after_the_last()
    {
        var feeder = new Feeder<int>("ids", [1, 2, 3], FeederOrder.Circular);

        Assert.Equal([1, 2, 3, 1, 2, 3, 1], Enumerable.Range(0, 7).Select(_ => feeder.Next()));
    }

    [Fact]
    public void Random_draws_every_item_and_repeats_its_draws_for_the_same_seed()
    {
        IEnumerable<int> Draws(int seed)
        {
            var feeder = new Feeder<int>("ids", Enumerable.Range(0, 10), FeederOrder.Random, seed);
            return [.. Enumerable.Range(0, 1000).Select(_ => feeder.Next())];
        }

        Assert.Equal(Draws(3), Draws(3));
        Assert.NotEqual(Draws(3), Draws(4));
        Assert.Equal(Enumerable.Range(0, 10), Draws(3).Distinct().Order());
        Assert.NotEqual(Enumerable.Range(0, 1000).Select(i => i % 10), Draws(3));
    }

    [Fact]
    public async Task Many_steps_at_once_never_get_the_same_item_of_an_in_order_feeder()
    {
        var feeder = new Feeder<int>("ids", Enumerable.Range(0, 100_000), FeederOrder.InOrder);
        var taken = new ConcurrentBag<int>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 12_500; i++)
            {
                taken.Add(feeder.Next());
            }
        })));

        Assert.Equal(Enumerable.Range(0, 100_000), taken.Order());
    }

    [Fact]
    public void A_feeder_needs_an_item()
    {
        var error = Assert.Throws<ArgumentException>(() => new Feeder<int>("ids", [], FeederOrder.Circular));

        Assert.StartsWith("the feeder 'ids' has no item: give it at least one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_JSON_lines_file_gives_one_item_a_line_skipping_blank_lines()
    {
        var path = Write("users.jsonl", "{\"name\": \"ann\", \"age\": 30}\n\n{\"Name\": \"bob\", \"age\": 41}\n");

        var users = JsonLines.Read<User>(path);

        Assert.Equal([new User("ann", 30), new User("bob", 41)], users);
        var feeder = new Feeder<User>("users", users, FeederOrder.Circular);
        Assert.Equal(["ann", "bob", "ann"], Enumerable.Range(0, 3).Select(_ => feeder.Next().Name));
    }

    [Theory]
    [InlineData("{\"name\": \"ann\", \"age\": 30}\n{\"name\": \"bob\", \"age\": \"old\"}\n", ":2: not a User in JSON (")]
    [InlineData("{\"name\": \"ann\", \"age\": 30}\nnull\n", ":2: null is not a User — write one JSON value a line")]
    [InlineData("\n\n", "holds no item — write one JSON value a line")]
    public void A_JSON_lines_file_that_holds_no_good_item_is_refused_naming_its_line(string text, string expected)
    {
        var path = Write("users.jsonl", text);

        var error = Assert.Throws<FeederFileException>(() => JsonLines.Read<User>(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_JSON_lines_file_is_refused_in_one_line()
    {
        var path = Path.Combine(_folder, "none.jsonl");

        var error = Assert.Throws<FeederFileException>(() => JsonLines.Read<User>(path));

        Assert.StartsWith($"feeder file '{path}' cannot be read (", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public sealed record User(string Name, int Age);
}
