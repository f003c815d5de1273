namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>How the command line reports bad input: one line on standard error, and exit code 2.</summary>
internal static class Cli
{
    public static int Fail(string message)
    {
        System.Console.Error.WriteLine($"loadgen: {message}");
        return Runner.ExitCodes.BadInput;
    }
}
