using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>
/// <c>scenarios/scenario.schema.json</c> (what editors check) and the model (what the loader reads) agree: the same
/// keys in each object, the same required keys, the same JSON types, enum values, phase types and fault actions. The
/// model side is walked through System.Text.Json's own metadata, so that a key added to a record and not to the
/// schema fails here.
/// </summary>
public class ScenarioSchemaTests
{
    private static readonly JsonObject Schema =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "scenario.schema.json")))!.AsObject();

    private static readonly JsonSerializerOptions Options = ScenarioJson.Options;

    [Fact]
    public void The_schema_is_draft_2020_12_and_closed()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Schema["$schema"]);
        Assert.False((bool)Schema["additionalProperties"]!);
    }

    [Fact]
    public void The_schema_and_the_model_agree()
    {
        AssertObject(Options.GetTypeInfo(typeof(Scenario)), Schema, "$", discriminator: null);
    }

    [Fact]
    public void The_sweep_schema_and_the_model_agree()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "sweeps", "sweep.schema.json")))!.AsObject();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        AssertObject(Options.GetTypeInfo(typeof(SweepSpec)), schema, "$", discriminator: null, schema);
    }

    [Fact]
    public void The_check_would_catch_a_key_missing_from_the_schema()
    {
        var schema = Schema.DeepClone().AsObject();
        schema["$defs"]!["call"]!["properties"]!.AsObject().Remove("cpu");

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertObject(Options.GetTypeInfo(typeof(Scenario)), schema, "$", discriminator: null, schema));
    }

    /// <param name="discriminator">For a derived type: the key that chooses it (<c>type</c>, <c>action</c>) and its value there.</param>
    private static void AssertObject(JsonTypeInfo info, JsonObject definition, string where, (string Key, string Value)? discriminator, JsonObject? root = null)
    {
        root ??= Schema;
        var properties = definition["properties"]!.AsObject();
        var modelKeys = info.Properties.Select(p => p.Name).Concat(discriminator is { } d ? [d.Key] : []);
        Assert.True(
            modelKeys.Order().SequenceEqual(properties.Select(p => p.Key).Order()),
            $"{where}: model keys [{string.Join(", ", modelKeys.Order())}], schema keys [{string.Join(", ", properties.Select(p => p.Key).Order())}]");

        var modelRequired = info.Properties.Where(p => p.IsRequired).Select(p => p.Name).Concat(discriminator is { } r ? [r.Key] : []);
        var schemaRequired = definition["required"]?.AsArray().Select(n => (string)n!) ?? [];
        Assert.True(modelRequired.Order().SequenceEqual(schemaRequired.Order()), $"{where}: required keys differ");
        Assert.False((bool)definition["additionalProperties"]!, $"{where}: the schema must reject unknown keys, as the loader does");

        if (discriminator is { } chosen)
        {
            Assert.Equal(chosen.Value, (string?)properties[chosen.Key]!["const"]);
        }

        foreach (var property in info.Properties)
        {
            AssertValue(property.PropertyType, properties[property.Name]!, $"{where}.{property.Name}", root);
        }
    }

    private static void AssertValue(Type type, JsonNode node, string where, JsonObject root)
    {
        var reference = (string?)node["$ref"] ?? (string?)node["anyOf"]?.AsArray().First(n => n!["$ref"] is not null)!["$ref"];
        var resolved = reference is null ? node : root["$defs"]![reference["#/$defs/".Length..]]!;
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (Spellings.Of(type) is { } spelling)
        {
            Assert.Equal(spelling.Names, resolved["enum"]!.AsArray().Select(n => (string)n!));
        }
        else if (type == typeof(TimeSpan))
        {
            Assert.True(reference == "#/$defs/duration", $"{where}: a duration must refer to #/$defs/duration");
        }
        else if (JsonType(type) is { } jsonType)
        {
            var declared = resolved["type"] is JsonArray types ? types.Select(n => (string)n!) : [(string)resolved["type"]!];
            Assert.True(declared.Contains(jsonType), $"{where}: expected JSON type {jsonType}, the schema says {string.Join("|", declared)}");
        }
        else
        {
            AssertComposite(Options.GetTypeInfo(type), resolved.AsObject(), where, root);
        }
    }

    private static void AssertComposite(JsonTypeInfo info, JsonObject definition, string where, JsonObject root)
    {
        if (info.Type == typeof(JsonElement))
        {
            // Any JSON (a request, or an expected value in it): its message's schema (a .proto) describes it, not this one.
        }
        else if (info.Kind == JsonTypeInfoKind.Dictionary)
        {
            Assert.Equal("object", (string?)definition["type"]);
            AssertValue(info.ElementType!, definition["additionalProperties"]!, $"{where}{{}}", root);
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            Assert.Equal("array", (string?)definition["type"]);
            AssertValue(info.ElementType!, definition["items"]!, $"{where}[]", root);
        }
        else if (info.PolymorphismOptions is { } polymorphism)
        {
            var key = polymorphism.TypeDiscriminatorPropertyName;
            var types = polymorphism.DerivedTypes.Select(d => (string)d.TypeDiscriminator!).ToList();
            Assert.Equal(types, definition["properties"]![key]!["enum"]!.AsArray().Select(n => (string)n!));
            var branches = definition["allOf"]!.AsArray();
            Assert.Equal(types, branches.Select(b => (string)b!["if"]!["properties"]![key]!["const"]!));
            foreach (var derived in polymorphism.DerivedTypes)
            {
                var name = (string)derived.TypeDiscriminator!;
                Assert.Equal($"#/$defs/{name}", (string?)branches[types.IndexOf(name)]!["then"]!["$ref"]);
                AssertObject(Options.GetTypeInfo(derived.DerivedType), root["$defs"]![name]!.AsObject(), $"{where}<{name}>", (key, name), root);
            }
        }
        else
        {
            AssertObject(info, definition, where, discriminator: null, root);
        }
    }

    // A target is written as its text.
    private static string? JsonType(Type type) => type == typeof(TargetAddress) ? "string" : Type.GetTypeCode(type) switch
    {
        TypeCode.Int32 or TypeCode.Int64 => "integer",
        TypeCode.Double => "number",
        TypeCode.Boolean => "boolean",
        TypeCode.String => "string",
        _ => null,
    };
}
