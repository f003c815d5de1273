using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>A schema from a descriptor set, as <c>protoc --include_imports -o set.pb</c> writes it.</summary>
internal static class DescriptorSetSchema
{
    /// <exception cref="DynamicCallException">The file is missing, not a descriptor set, or does not build.</exception>
    public static Schema Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DynamicCallException($"descriptor set '{path}' cannot be read ({e.Message})");
        }

        FileDescriptorSet set;
        try
        {
            set = FileDescriptorSet.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DynamicCallException($"descriptor set '{path}' is not a FileDescriptorSet ({e.Message}): make it with protoc --include_imports -o FILE");
        }

        return Schema.Build(path, set.File.Select(file => file.ToByteString()));
    }
}
