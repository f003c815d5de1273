namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>Open model: the rate goes from <see cref="From"/> to <see cref="To"/> calls a second in a straight line.</summary>
public sealed record RampRatePhase(double From, double To, TimeSpan Duration) : OpenPhase
{
    public override TimeSpan PlannedDuration => Duration;

    public override double? HighestLoad => Math.Max(From, To);

    public override string Load => $"{From:0.##}→{To:0.##}/s";

    protected override string DefaultName => $"{Load} over {Duration.TotalSeconds:0.#}s";

    public override double TargetAt(TimeSpan elapsed) => From + ((To - From) * Progress(elapsed));

    /// <summary>
    /// Call n is due when the calls expected so far, from·t + (to − from)·t² / 2T, reach n.
    /// </summary>
    public override IEnumerable<double> Arrivals(Random random)
    {
        var seconds = Duration.TotalSeconds;
        var halfSlope = (To - From) / (2 * seconds);
        for (long n = 0; ; n++)
        {
            double due;
            if (Math.Abs(halfSlope) < 1e-12)
            {
                due = n / From;
            }
            else
            {
                var discriminant = (From * From) + (4 * halfSlope * n);
                if (discriminant < 0)
                {
                    yield break;
                }

                due = (-From + Math.Sqrt(discriminant)) / (2 * halfSlope);
            }

            if (due >= seconds || double.IsNaN(due))
            {
                yield break;
            }

            yield return due;
        }
    }

    /// <summary>The ramp's end: where the load is measured at its highest.</summary>
    public override LoadPhase WithRate(double rate) => this with { To = rate };

    public override LoadPhase WithDuration(TimeSpan duration) => this with { Duration = duration };

    internal override IEnumerable<(string Member, string? Problem)> Problems() =>
    [
        (nameof(From), ScenarioRules.RampStartRate(From)),
        (nameof(To), ScenarioRules.Rate(To)),
        (nameof(Duration), ScenarioRules.Duration(Duration)),
    ];
}
