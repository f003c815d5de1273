using System.CommandLine.Parsing;
using System.Globalization;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>How the command line reads numbers and reports bad input: one line on standard error, and exit code 2.</summary>
internal static class Cli
{
    public static int Fail(string message)
    {
        System.Console.Error.WriteLine($"loadgen: {message}");
        return Runner.ExitCodes.BadInput;
    }

    /// <summary>
    /// A whole-number option inside <paramref name="range"/>: the value, or null after one error naming the option,
    /// what was typed and the range (never the parser's own type name, whatever the number of digits).
    /// </summary>
    public static int? ParseWhole(ArgumentResult result, NumberRange range)
    {
        var text = Token(result);
        if (!IsWhole(text))
        {
            result.AddError($"{OptionName(result)} '{text}' is not a whole number: it {range.Refusal}");
            return null;
        }

        // Any count of digits reads as a double (at worst infinity), which the range then refuses.
        var value = double.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return Within(result, text, value, range) ? (int)value : null;
    }

    /// <summary>A number option inside <paramref name="range"/>: the value, or null after one error naming the option and the range.</summary>
    public static double? ParseNumber(ArgumentResult result, NumberRange range)
    {
        var text = Token(result);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{OptionName(result)} '{text}' is not a number: it {range.Refusal}");
            return null;
        }

        return Within(result, text, value, range) ? value : null;
    }

    private static bool Within(ArgumentResult result, string text, double value, NumberRange range)
    {
        if (range.Problem(value) is not { } problem)
        {
            return true;
        }

        result.AddError($"{OptionName(result)} {text} is out of range: it {problem}");
        return false;
    }

    private static bool IsWhole(string text)
    {
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;

    private static string OptionName(ArgumentResult result) => ((OptionResult)result.Parent!).Option.Name;
}
