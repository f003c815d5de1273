using Google.Protobuf.Reflection;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// Every message type a schema knows, by full name: its files', their imports', and the well-known types. An Any
/// names its packed type by full name; this finds it.
/// </summary>
internal sealed class SchemaTypes
{
    private readonly Dictionary<string, MessageDescriptor> _messages = new(StringComparer.Ordinal);

    public SchemaTypes(IEnumerable<FileDescriptor> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files.Concat(WellKnownTypes.Files.Values))
        {
            Add(file, seen);
        }
    }

    public MessageDescriptor? Find(string fullName) => _messages.GetValueOrDefault(fullName);

    private void Add(FileDescriptor file, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            Add(dependency, seen);
        }

        var pending = new Stack<MessageDescriptor>(file.MessageTypes);
        while (pending.TryPop(out var message))
        {
            _messages.TryAdd(message.FullName, message);
            foreach (var nested in message.NestedTypes)
            {
                pending.Push(nested);
            }
        }
    }
}
