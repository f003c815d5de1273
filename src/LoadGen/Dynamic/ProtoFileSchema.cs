extern alias ProtobufNet;
using ProtoFileSet = ProtobufNet::Google.Protobuf.Reflection.FileDescriptorSet;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// A schema from .proto files, parsed by protobuf-net.Reflection (no protoc needed): each file is named by its path
/// from the first import path that holds it (its own folder when none does), as protoc names it; imports are looked
/// for in the import paths, the well-known types are built in.
/// </summary>
internal static class ProtoFileSchema
{
    /// <exception cref="DynamicCallException">A file or folder is missing, or a file does not parse: its line.</exception>
    public static Schema Load(IReadOnlyList<string> protos, IReadOnlyList<string> importPaths)
    {
        foreach (var folder in importPaths.Where(folder => !Directory.Exists(folder)))
        {
            throw new DynamicCallException($"import path '{folder}' is not a folder");
        }

        var roots = importPaths.Select(Path.GetFullPath)
            .Concat(protos.Select(proto => Path.GetDirectoryName(Path.GetFullPath(proto))!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var set = new ProtoFileSet();
        foreach (var root in roots)
        {
            set.AddImportPath(root);
        }

        foreach (var proto in protos)
        {
            var path = Path.GetFullPath(proto);
            if (!File.Exists(path))
            {
                throw new DynamicCallException($"proto file '{proto}' does not exist");
            }

            var root = roots.First(r => path.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            if (!set.Add(Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), includeInOutput: true))
            {
                throw new DynamicCallException($"proto file '{proto}' could not be read");
            }
        }

        set.Process();
        if (set.GetErrors().FirstOrDefault(error => error.IsError) is { } first)
        {
            throw new DynamicCallException($"{first.File}:{first.LineNumber}:{first.ColumnNumber}: {first.Message}");
        }

        // protobuf-net's descriptors and Google.Protobuf's share their wire form: serialized by the one (with the
        // imports), built by the other.
        using var bytes = new MemoryStream();
        set.Serialize(
            static (files, state) =>
            {
                ProtoBuf.Serializer.Serialize((Stream)state!, files);
                return true;
            },
            includeImports: true,
            state: bytes);
        var files = Google.Protobuf.Reflection.FileDescriptorSet.Parser.ParseFrom(bytes.ToArray()).File;
        return Schema.Build(string.Join(", ", protos), files.Select(file => Google.Protobuf.MessageExtensions.ToByteString(file)));
    }
}
