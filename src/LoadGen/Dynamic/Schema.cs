using Google.Protobuf;
using Google.Protobuf.Reflection;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// The descriptors of a service's files, from wherever they came (server reflection, .proto files, a descriptor set),
/// and the message types they know.
/// </summary>
internal sealed class Schema
{
    private Schema(string source, IReadOnlyList<FileDescriptor> files)
    {
        Source = source;
        Files = files;
        Types = new SchemaTypes(files);
    }

    /// <summary>Where the schema came from, for errors: e.g. <c>reflection at 127.0.0.1:7350</c>, or a file's path.</summary>
    public string Source { get; }

    public IReadOnlyList<FileDescriptor> Files { get; }

    public SchemaTypes Types { get; }

    /// <summary>
    /// Builds the schema from serialized <c>FileDescriptorProto</c>s in any order: each file after those it imports,
    /// and a well-known type's file (google/protobuf/*.proto) from Google.Protobuf's own where the set lacks it.
    /// </summary>
    /// <exception cref="DynamicCallException">A file imports one the set lacks, or the files do not build.</exception>
    public static Schema Build(string source, IEnumerable<ByteString> serializedFiles)
    {
        var byName = new Dictionary<string, (ByteString Bytes, FileDescriptorProto Proto)>(StringComparer.Ordinal);
        foreach (var bytes in serializedFiles)
        {
            FileDescriptorProto proto;
            try
            {
                proto = FileDescriptorProto.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new DynamicCallException($"{source}: not a file descriptor ({e.Message})");
            }

            byName.TryAdd(proto.Name, (bytes, proto));
        }

        var ordered = new List<ByteString>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in byName.Keys)
        {
            Place(name, importedBy: null);
        }

        try
        {
            return new Schema(source, FileDescriptor.BuildFromByteStrings(ordered));
        }
        catch (Exception e) when (e is ArgumentException or DescriptorValidationException or InvalidProtocolBufferException)
        {
            throw new DynamicCallException($"{source}: the files do not build: {e.Message}");
        }

        void Place(string name, string? importedBy)
        {
            if (placed.Contains(name))
            {
                return;
            }

            if (byName.TryGetValue(name, out var file))
            {
                // Marked first: an import cycle is FileDescriptor's to report, not a reason to loop here.
                placed.Add(name);
                foreach (var dependency in file.Proto.Dependency)
                {
                    Place(dependency, name);
                }

                ordered.Add(file.Bytes);
            }
            else if (WellKnownTypes.Files.TryGetValue(name, out var wellKnown))
            {
                placed.Add(name);
                foreach (var dependency in wellKnown.Dependencies)
                {
                    Place(dependency.Name, name);
                }

                ordered.Add(wellKnown.SerializedData);
            }
            else
            {
                throw new DynamicCallException($"{source}: {importedBy} imports {name}, which the schema does not hold (give its folder as an import path, or a descriptor set made with --include_imports)");
            }
        }
    }

    /// <summary>The method <c>package.Service/Method</c>.</summary>
    /// <exception cref="DynamicCallException">No such service or method: names the ones there are.</exception>
    public MethodDescriptor FindMethod(string name)
    {
        var (serviceName, methodName) = SplitMethodName(name);
        var services = Files.SelectMany(file => file.Services).ToList();
        var service = services.FirstOrDefault(s => s.FullName == serviceName)
            ?? throw new DynamicCallException($"{Source}: no service '{serviceName}' (services: {Names(services.Select(s => s.FullName))})");
        return service.FindMethodByName(methodName)
            ?? throw new DynamicCallException($"{Source}: the service {serviceName} has no method '{methodName}' (methods: {Names(service.Methods.Select(m => m.Name))})");
    }

    /// <summary>"package.Service/Method" as its service's full name and the method's name.</summary>
    /// <exception cref="DynamicCallException">The name is not of that form.</exception>
    public static (string Service, string Method) SplitMethodName(string name)
    {
        if (MethodName.Problem(name) is { } problem)
        {
            throw new DynamicCallException(problem);
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return (name[..slash], name[(slash + 1)..]);
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
