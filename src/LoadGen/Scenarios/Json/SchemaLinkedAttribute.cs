namespace GrpcLoadLab.LoadGen.Scenarios.Json;

/// <summary>
/// Marks the model of a file people write (a scenario, a sweep), whose JSON may name its JSON Schema under
/// <c>"$schema"</c> for their editor: the key is read and dropped, never written (see <see cref="ScenarioJson"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class SchemaLinkedAttribute : Attribute;
