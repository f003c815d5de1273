using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Grpc.Core;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// The JSON form of a <see cref="Scenario"/>: the options scenario files are read with, and that write a scenario back
/// in the same form (durations as <c>"10s"</c>, enums by name), e.g. into a run's <c>result.json</c>.
/// </summary>
public static class ScenarioJson
{
    /// <summary>The key that points editors at the JSON Schema; the loader accepts and ignores it.</summary>
    public const string SchemaKey = "$schema";

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The values of a phase's <c>type</c>, in the order the model declares them.</summary>
    public static IReadOnlyList<string> PhaseTypes { get; } = Discriminators(typeof(LoadPhase));

    /// <summary>The values of a fault's <c>action</c>, in the order the model declares them.</summary>
    public static IReadOnlyList<string> FaultActions { get; } = Discriminators(typeof(FaultEvent));

    /// <summary>The <c>type</c> of a phase as the scenario file writes it (<c>constant-rate</c>, <c>pause</c>...).</summary>
    public static string PhaseTypeOf(LoadPhase phase) => DiscriminatorOf(typeof(LoadPhase), phase);

    /// <summary>The <c>action</c> of a fault event as the scenario file writes it (<c>kill</c>, <c>slow</c>...).</summary>
    public static string ActionOf(FaultEvent fault) => DiscriminatorOf(typeof(FaultEvent), fault);

    private static string DiscriminatorOf(Type baseType, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return (string)Options.GetTypeInfo(baseType).PolymorphismOptions!.DerivedTypes
            .Single(derived => derived.DerivedType == value.GetType()).TypeDiscriminator!;
    }

    private static string[] Discriminators(Type type) =>
        [.. Options.GetTypeInfo(type).PolymorphismOptions!.DerivedTypes.Select(derived => (string)derived.TypeDiscriminator!)];

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(AcceptSchemaKey);
        resolver.Modifiers.Add(OnlySettablePhaseKeys);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // A misspelt key would otherwise be silently ignored and the run would measure something else.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            AllowOutOfOrderMetadataProperties = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            // A call's request nests as deep as protobuf allows, inside a scenario, inside a result.
            MaxDepth = ScenarioLoader.DocumentDepth,
            WriteIndented = true,
            TypeInfoResolver = resolver,
            Converters =
            {
                new DurationJsonConverter(),
                new SpellingJsonConverter<BalancingPolicy>(Spellings.Policy),
                new SpellingJsonConverter<RetryMode>(Spellings.Retry),
                new SpellingJsonConverter<CallKind>(Spellings.CallKind),
                new SpellingJsonConverter<StatusCode>(Spellings.Status),
            },
        };
        options.MakeReadOnly();
        return options;
    }

    // A write-only, ignored member: "$schema" is read (and dropped) but never written.
    private static void AcceptSchemaKey(JsonTypeInfo info)
    {
        if (info.Type.IsDefined(typeof(SchemaLinkedAttribute), inherit: false))
        {
            var schema = info.CreateJsonPropertyInfo(typeof(string), SchemaKey);
            schema.Set = static (_, _) => { };
            info.Properties.Insert(0, schema);
        }
    }

    // A phase's derived figures (PlannedDuration, DisplayName, Load...) have no setter: as keys they would be read and silently
    // dropped, and written where they only repeat the phase.
    private static void OnlySettablePhaseKeys(JsonTypeInfo info)
    {
        if (info.Type.IsAssignableTo(typeof(LoadPhase)))
        {
            foreach (var derived in info.Properties.Where(p => p.Set is null).ToList())
            {
                info.Properties.Remove(derived);
            }
        }
    }
}
