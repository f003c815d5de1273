using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Tests.Dynamic.Codec;

namespace GrpcLoadLab.LoadGen.Tests.Dynamic;

/// <summary>
/// Schemas from .proto files (protobuf-net.Reflection's parser, with import paths) and from descriptor sets
/// (Google.Protobuf's FileDescriptor.BuildFromByteStrings); a method found by name, or refused naming those there are.
/// </summary>
public sealed class SchemaTests : IDisposable
{
    private static readonly string RouteGuideProto = Path.Combine(AppContext.BaseDirectory, "RouteGuide", "route_guide.proto");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("schema-tests-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_proto_file_gives_each_method_with_its_kind_and_messages()
    {
        var schema = ProtoFileSchema.Load([RouteGuideProto], []);

        var chat = schema.FindMethod("routeguide.RouteGuide/RouteChat");
        Assert.True(chat.IsClientStreaming && chat.IsServerStreaming);
        Assert.Equal("routeguide.RouteNote", chat.InputType.FullName);
        var feature = schema.FindMethod("routeguide.RouteGuide/GetFeature");
        Assert.False(feature.IsClientStreaming || feature.IsServerStreaming);
        Assert.Equal(["latitude", "longitude"], feature.InputType.Fields.InDeclarationOrder().Select(f => f.JsonName));
    }

    [Fact]
    public void Imports_are_found_in_the_import_paths_and_the_well_known_types_are_built_in()
    {
        Write("common/point.proto", """
            syntax = "proto3";
            package common;
            message Point { int32 x = 1; }
            """);
        var service = Write("api/service.proto", """
            syntax = "proto3";
            package api;
            import "common/point.proto";
            import "google/protobuf/timestamp.proto";
            message Where { common.Point point = 1; google.protobuf.Timestamp at = 2; }
            service Places { rpc Find(Where) returns (common.Point); }
            """);

        var schema = ProtoFileSchema.Load([service], [_folder.FullName]);

        var find = schema.FindMethod("api.Places/Find");
        Assert.Equal("common.Point", find.OutputType.FullName);
        Assert.Equal("google.protobuf.Timestamp", find.InputType.FindFieldByName("at").MessageType.FullName);
    }

    [Fact]
    public void A_proto_file_that_does_not_parse_is_refused_with_its_line()
    {
        var bad = Write("bad.proto", """
            syntax = "proto3";
            message Broken {
              int32 x = ;
            }
            """);

        var error = Assert.Throws<DynamicCallException>(() => ProtoFileSchema.Load([bad], []));

        Assert.StartsWith("bad.proto:3:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_import_that_no_import_path_holds_is_refused_naming_it()
    {
        var lonely = Write("lonely.proto", """
            syntax = "proto3";
            import "elsewhere/missing.proto";
            message M { int32 x = 1; }
            """);

        var error = Assert.Throws<DynamicCallException>(() => ProtoFileSchema.Load([lonely], []));

        Assert.Contains("elsewhere/missing.proto", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.proto", new string[0], "proto file 'missing.proto' does not exist")]
    [InlineData("ROUTE_GUIDE", new[] { "no-such-folder" }, "import path 'no-such-folder' is not a folder")]
    public void Missing_files_and_folders_are_refused_naming_them(string proto, string[] importPaths, string expected)
    {
        var error = Assert.Throws<DynamicCallException>(() => ProtoFileSchema.Load([proto == "ROUTE_GUIDE" ? RouteGuideProto : proto], importPaths));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_descriptor_set_without_the_well_known_types_builds_with_them_built_in()
    {
        var set = new FileDescriptorSet { File = { FileDescriptorProto.Parser.ParseFrom(EverythingReflection.Descriptor.SerializedData) } };
        var path = Path.Combine(_folder.FullName, "set.pb");
        File.WriteAllBytes(path, set.ToByteArray());

        var schema = DescriptorSetSchema.Load(path);

        Assert.Equal("google.protobuf.Timestamp", schema.Types.Find("lab.codec.Everything")!.FindFieldByName("at").MessageType.FullName);
        Assert.NotNull(schema.Types.Find("lab.codec.Inner"));
    }

    [Fact]
    public void A_descriptor_set_missing_an_import_or_not_a_set_is_refused()
    {
        var proto = new FileDescriptorProto { Name = "a.proto", Dependency = { "b.proto" } };
        var missing = Assert.Throws<DynamicCallException>(() => Schema.Build("set.pb", [proto.ToByteString()]));
        Assert.StartsWith("set.pb: a.proto imports b.proto, which the schema does not hold", missing.Message, StringComparison.Ordinal);

        var path = Path.Combine(_folder.FullName, "text.pb");
        File.WriteAllText(path, "not a descriptor set");
        var garbage = Assert.Throws<DynamicCallException>(() => DescriptorSetSchema.Load(path));
        Assert.StartsWith($"descriptor set '{path}' is not a FileDescriptorSet", garbage.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("routeguide.Nope/GetFeature", "no service 'routeguide.Nope' (services: routeguide.RouteGuide)")]
    [InlineData("routeguide.RouteGuide/Nope", "the service routeguide.RouteGuide has no method 'Nope' (methods: GetFeature, ListFeatures, RecordRoute, RouteChat)")]
    [InlineData("routeguide.RouteGuide.GetFeature", "the method 'routeguide.RouteGuide.GetFeature' is not package.Service/Method")]
    [InlineData("routeguide.RouteGuide/", "the method 'routeguide.RouteGuide/' is not package.Service/Method")]
    public void An_unknown_service_or_method_is_refused_naming_those_there_are(string method, string expected)
    {
        var schema = ProtoFileSchema.Load([RouteGuideProto], []);

        var error = Assert.Throws<DynamicCallException>(() => schema.FindMethod(method));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
