namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>The form a call of any service names its method in: <c>package.Service/Method</c>.</summary>
internal static class MethodName
{
    /// <summary>What is wrong with a method's name, or null when it is package.Service/Method.</summary>
    public static string? Problem(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < name.Length - 1 && name.IndexOf('/', slash + 1) < 0
            ? null
            : $"the method '{name}' is not package.Service/Method (e.g. routeguide.RouteGuide/GetFeature)";
    }
}
