namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// Gunther's Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)), with the quality of the fit it came from.
/// </summary>
/// <param name="Sigma">Contention σ: the serialised share of the work.</param>
/// <param name="Kappa">Coherency κ: the cost of keeping each pair of instances consistent.</param>
/// <param name="Lambda">Throughput λ of a single instance (N = 1).</param>
public sealed record UslModel(double Sigma, double Kappa, double Lambda)
{
    /// <summary>Coefficient of determination, 1 − SSE/SST (1 when the data have no spread to explain).</summary>
    public double RSquared { get; init; }

    /// <summary>Residual standard error √(SSE/(n−3)), in throughput units; null with 3 points or fewer.</summary>
    public double? ResidualStandardError { get; init; }

    /// <summary>How many measurements the model was fitted to.</summary>
    public int Points { get; init; }

    /// <summary>The throughput the model predicts at load <paramref name="n"/>.</summary>
    public double Throughput(double n) => Lambda * n / (1 + Sigma * (n - 1) + Kappa * n * (n - 1));

    /// <summary>The load of highest throughput, √((1−σ)/κ); null when κ = 0: no peak, throughput keeps rising towards the Amdahl ceiling.</summary>
    // Clamped at 0: with σ ≥ 1 throughput falls from the start (the fit keeps σ ≤ 1; a hand-made model may not).
    public double? PeakInstances => Kappa > 0 ? Math.Sqrt(Math.Max(0, 1 - Sigma) / Kappa) : null;

    /// <summary>The throughput at <see cref="PeakInstances"/>; null when there is no peak.</summary>
    public double? PeakThroughput => PeakInstances is { } n ? Throughput(n) : null;

    /// <summary>The Amdahl ceiling λ/σ, the limit of throughput without coherency cost; null when σ = 0.</summary>
    public double? AmdahlCeiling => Sigma > 0 ? Lambda / Sigma : null;
}
