using System.Text.Json;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Dynamic;

/// <summary>
/// What a call by schema hands each call: its encoded request, and its metadata only when it has some — rendered per
/// call where a header has per-call parts, else the same headers every time.
/// </summary>
public sealed class DynamicCallTests
{
    [Fact]
    public async Task A_call_without_metadata_sends_no_headers_and_its_one_encoded_request()
    {
        var call = await PrepareAsync(new Dictionary<string, string>());

        var (first, headers) = call.Next(worker: 0);
        var (second, _) = call.Next(worker: 5);

        Assert.Null(headers);
        Assert.Same(first, second);
        Assert.Equal(new WorkRequest { ReplySize = 16 }, WorkRequest.Parser.ParseFrom(Assert.Single(first)));
    }

    [Fact]
    public async Task Fixed_metadata_is_the_same_headers_for_every_call()
    {
        var call = await PrepareAsync(new Dictionary<string, string> { ["x-team"] = "lab" });

        var (_, first) = call.Next(worker: 0);
        var (_, second) = call.Next(worker: 1);

        Assert.Same(first, second);
        Assert.Equal("lab", Assert.Single(first!).Value);
    }

    [Fact]
    public async Task Metadata_with_per_call_parts_is_rendered_for_each_call_in_order()
    {
        var call = await PrepareAsync(new Dictionary<string, string> { ["x-call"] = "{{call}}-{{worker}}" });

        int[] workers = [0, 3, 1];
        Assert.Equal(["1-0", "2-3", "3-1"], workers.Select(worker => Assert.Single(call.Next(worker).Headers!).Value));
    }

    private static async Task<DynamicCall> PrepareAsync(IReadOnlyDictionary<string, string> metadata)
    {
        using var request = JsonDocument.Parse("""{"replySize": 16}""");
        var spec = new CallSpec
        {
            Method = "lab.v1.LoadLab/Unary",
            Protos = [Path.Combine(RepositoryFolder.Root, "protos", "lab.proto")],
            Request = request.RootElement.Clone(),
            Metadata = metadata,
        };
        return (await DynamicCall.PrepareAsync(spec, target: "static:127.0.0.1:1", agent: 0, tls: null, CancellationToken.None))!;
    }
}
