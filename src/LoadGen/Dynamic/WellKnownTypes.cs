using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace GrpcLoadLab.LoadGen.Dynamic;

/// <summary>
/// The well-known types, as Google.Protobuf compiles them in: their JSON forms (a Timestamp is a string, a wrapper its
/// raw value, a Struct any object...) are Google.Protobuf's own JsonParser and JsonFormatter's job, on these
/// descriptors; and a schema that imports one without carrying it gets it from here.
/// </summary>
internal static class WellKnownTypes
{
    public const string AnyName = "google.protobuf.Any";

    /// <summary>Files a schema may import, by name (google/protobuf/timestamp.proto...).</summary>
    public static IReadOnlyDictionary<string, FileDescriptor> Files { get; } = new[]
    {
        AnyReflection.Descriptor, ApiReflection.Descriptor, DurationReflection.Descriptor, EmptyReflection.Descriptor,
        FieldMaskReflection.Descriptor, SourceContextReflection.Descriptor, StructReflection.Descriptor,
        TimestampReflection.Descriptor, TypeReflection.Descriptor, WrappersReflection.Descriptor, DescriptorReflection.Descriptor,
    }.ToDictionary(file => file.Name, StringComparer.Ordinal);

    /// <summary>The types whose JSON form is special (all but Any, which names a type of the schema), by full name.</summary>
    private static readonly Dictionary<string, MessageDescriptor> SpecialJson = new MessageDescriptor[]
    {
        Timestamp.Descriptor, Duration.Descriptor, FieldMask.Descriptor, Struct.Descriptor, Value.Descriptor,
        ListValue.Descriptor, Empty.Descriptor, DoubleValue.Descriptor, FloatValue.Descriptor, Int64Value.Descriptor,
        UInt64Value.Descriptor, Int32Value.Descriptor, UInt32Value.Descriptor, BoolValue.Descriptor,
        StringValue.Descriptor, BytesValue.Descriptor,
    }.ToDictionary(type => type.FullName, StringComparer.Ordinal);

    /// <summary>Google.Protobuf's compiled descriptor of <paramref name="type"/> when its JSON form is special.</summary>
    public static MessageDescriptor? WithSpecialJson(MessageDescriptor type) => SpecialJson.GetValueOrDefault(type.FullName);
}
