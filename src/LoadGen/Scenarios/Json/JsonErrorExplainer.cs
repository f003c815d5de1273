using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.LoadGen.Scenarios.Json;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a scenario (or a sweep) into what is wrong and how to fix it. It looks at what
/// the document holds at the exception's path and at what the model expects there, rather than at the exception's
/// wording, which is System.Text.Json's and not meant for the people who write scenarios.
/// </summary>
internal static class JsonErrorExplainer
{
    private const int LongestShownValue = 40;

    /// <param name="model">The type the document was read as: a scenario, or a sweep.</param>
    public static (string Path, string Problem) Explain(JsonException exception, JsonElement root, JsonSerializerOptions options, Type model)
    {
        var path = exception.Path ?? "$";
        var info = options.GetTypeInfo(model);
        var element = root;
        JsonElement? owner = null;
        string? key = null;
        foreach (var segment in JsonPathSegments.Parse(path))
        {
            owner = null;
            if (segment is int index)
            {
                info = options.GetTypeInfo(info.ElementType!);
                element = element[index];
                continue;
            }

            key = (string)segment;
            info = Concrete(info, element, options);
            var property = info.Properties.FirstOrDefault(p => p.Name == key);
            if (property is null)
            {
                return (path, $"unknown key '{key}' — the keys allowed here are {string.Join(", ", Keys(info, options))}");
            }

            info = options.GetTypeInfo(property.PropertyType);
            owner = element;
            element = element.GetProperty(key);
        }

        if (owner is { } parent && parent.EnumerateObject().Count(p => p.Name == key) > 1)
        {
            return (path, $"'{key}' is given twice — keep one");
        }

        return (path, Problem(info, element, key, options));
    }

    /// <summary>What to write where a value of <paramref name="type"/> is expected.</summary>
    public static string Describe(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Spellings.Of(type) is { } spelling)
        {
            return $"one of {spelling.Choices}";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.Double => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.String => "a string",
            _ when type == typeof(TimeSpan) => "a duration such as \"500ms\", \"10s\" or \"2m\"",
            _ when type == typeof(TargetAddress) => "a target such as \"file:.lab/servers.txt\" or \"static:127.0.0.1:5001\"",
            _ => options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Enumerable ? "a list [...]" : "an object {...}",
        };
    }

    /// <param name="key">The key that holds <paramref name="element"/> (for a list's item, the list's key); null at the root.</param>
    private static string Problem(JsonTypeInfo info, JsonElement element, string? key, JsonSerializerOptions options)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return $"must not be null — give {Describe(info.Type, options)}, or leave the key out for its default";
        }

        if (info.Kind == JsonTypeInfoKind.Object && element.ValueKind == JsonValueKind.Object)
        {
            var concrete = Concrete(info, element, options);
            var missing = concrete.Properties.FirstOrDefault(p => p.IsRequired && !element.TryGetProperty(p.Name, out _));
            if (missing is not null)
            {
                return $"missing key '{missing.Name}' — add it: {Describe(missing.PropertyType, options)}";
            }
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (element.ValueKind == JsonValueKind.String && type == typeof(TimeSpan))
        {
            return $"'{element.GetString()}' is not a duration — {DurationParser.Hint}";
        }

        if (element.ValueKind == JsonValueKind.String && type == typeof(TargetAddress)
            && !TargetAddress.TryParse(element.GetString()!, out _, out var targetProblem))
        {
            return targetProblem;
        }

        if (element.ValueKind == JsonValueKind.String && type.IsEnum)
        {
            return $"'{element.GetString()}' is not allowed here — use {Describe(type, options)}";
        }

        // A number the model cannot even hold (e.g. 2147483648 for a size) is a value out of range, not a wrong kind.
        if (element.ValueKind == JsonValueKind.Number && !type.IsEnum && Type.GetTypeCode(type) is TypeCode.Int32 or TypeCode.Int64
            && element.TryGetDouble(out var number) && number == Math.Floor(number))
        {
            var range = key is null ? null : Limits.OfWholeNumberKey(key);
            return range is null ? $"{Show(element)} is out of range for a whole number here" : $"{Show(element)} is out of range: {range.Refusal}";
        }

        if (element.ValueKind == JsonValueKind.Number && type == typeof(double))
        {
            return $"{Show(element)} is out of range — give a finite number; docs/limits.md gives each value's range";
        }

        return $"must be {Describe(type, options)}, not {Show(element)}";
    }

    // A phase is read as the type its "type" names (the loader has checked that it names one).
    private static JsonTypeInfo Concrete(JsonTypeInfo info, JsonElement element, JsonSerializerOptions options)
    {
        if (info.PolymorphismOptions is not { } polymorphism || element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty(polymorphism.TypeDiscriminatorPropertyName, out var discriminator))
        {
            return info;
        }

        var derived = polymorphism.DerivedTypes.FirstOrDefault(d => Equals(d.TypeDiscriminator, discriminator.ToString()));
        return derived.DerivedType is null ? info : options.GetTypeInfo(derived.DerivedType);
    }

    // A derived type's keys start with the discriminator of the base that lists it ("type" for a phase, past the
    // closed or open model's own abstract base).
    private static IEnumerable<string> Keys(JsonTypeInfo info, JsonSerializerOptions options)
    {
        var discriminator = Bases(info.Type)
            .Select(baseType => options.GetTypeInfo(baseType).PolymorphismOptions?.TypeDiscriminatorPropertyName)
            .FirstOrDefault(name => name is not null);
        var keys = info.Properties.Select(p => p.Name);
        return discriminator is null ? keys : keys.Prepend(discriminator);
    }

    private static IEnumerable<Type> Bases(Type type)
    {
        for (var baseType = type.BaseType; baseType is not null && baseType != typeof(object); baseType = baseType.BaseType)
        {
            yield return baseType;
        }
    }

    private static string Show(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => Shorten($"\"{element.GetString()}\""),
        _ => Shorten(element.GetRawText()),
    };

    private static string Shorten(string text) => text.Length <= LongestShownValue ? text : $"{text[..(LongestShownValue - 1)]}…";
}
