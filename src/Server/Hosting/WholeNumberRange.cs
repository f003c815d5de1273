using System.Globalization;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// The range of a whole-number server option, and the one line that refuses a value outside it. The command line and
/// <see cref="ServerOptions.Validate"/> both use it, so a value is refused in the same words however it arrives.
/// </summary>
/// <param name="Option">The flag, as the user types it.</param>
/// <param name="Meaning">What the numbers count, e.g. "calls (0 = unlimited)".</param>
public sealed record WholeNumberRange(string Option, int Min, int Max, string Meaning)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    /// <summary>"--capacity 2000000 is out of range: give 0-1000000 calls (0 = unlimited)".</summary>
    public string Refusal(string value) => $"{Option} {value} is out of range: give {this}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max} {Meaning}");
}
