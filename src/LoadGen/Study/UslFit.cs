using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// Fits the Universal Scalability Law to measured throughput by nonlinear least squares, as R's usl package does:
/// Levenberg–Marquardt from λ₀ = max X/N, σ₀ = 0.01, κ₀ = 1e-4, with σ and κ kept within [0, 1].
/// </summary>
public static class UslFit
{
    private const double SigmaStart = 0.01;
    private const double KappaStart = 1e-4;

    // Fits whose SSE differ by less than this share of Σy² are equal up to rounding; the one with more parameters
    // on a bound wins, so exactly linear data give κ = 0 and no peak rather than a free κ of 1e-17.
    private const double TieTolerance = 1e-12;

    // Where σ and κ may sit: free (null) or on one of R usl's bounds, 0 and 1.
    private static readonly double?[] Faces = [null, 0, 1];

    /// <summary>Fits σ, κ and λ to the points; throws <see cref="ArgumentException"/> when the data cannot carry a fit.</summary>
    public static UslModel Fit(IReadOnlyList<ScalingPoint> points)
    {
        Validate(points);

        var loads = points.Select(p => p.Load).ToArray();
        // Throughput in units of its maximum: MathNet's stopping tolerances are absolute, this makes them relative.
        var unit = points.Max(p => p.Throughput);
        var observed = points.Select(p => p.Throughput / unit).ToArray();

        // MathNet's bounded mode maps parameters through sin/sqrt, whose slope vanishes on the bound, so a parameter
        // whose optimum is 0 (κ = 0 is Amdahl's law) creeps towards it and stops short. Instead, fit unconstrained on
        // every face of the box (σ and κ each free, 0 or 1) and keep the best feasible fit: the constrained optimum
        // lies inside one of the faces, where it is an unconstrained optimum.
        var fits = new List<Candidate>();
        foreach (var sigma in Faces)
        {
            foreach (var kappa in Faces)
            {
                var fit = FitFace(loads, observed, sigma, kappa);
                if (fit.IsFeasible)
                {
                    fits.Add(fit);
                }
            }
        }

        // Never empty: with σ and κ both on bounds, λ is a positive closed form.
        var least = fits.Min(f => f.Sse);
        var tie = TieTolerance * observed.Sum(y => y * y);
        var best = fits
            .Where(f => f.Sse <= least + tie)
            .OrderByDescending(f => f.Fixed)
            .ThenBy(f => f.Sse)
            .First();

        return WithQuality(new UslModel(best.Sigma, best.Kappa, best.Lambda * unit), points);
    }

    // The messages reach users as a "not enough data" note: one line, no parameter name.
    private static void Validate(IReadOnlyList<ScalingPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        foreach (var point in points)
        {
            if (!double.IsFinite(point.Load) || !double.IsFinite(point.Throughput))
            {
                throw new ArgumentException($"Load and throughput must be finite numbers (got {point.Throughput} at load {point.Load}).");
            }
            if (point.Load < 1)
            {
                throw new ArgumentException($"Every load must be at least 1 (got {point.Load}).");
            }
            if (point.Throughput <= 0)
            {
                throw new ArgumentException($"Every throughput must be above zero (got {point.Throughput} at load {point.Load}).");
            }
        }
        var distinct = points.Select(p => p.Load).Distinct().Count();
        if (distinct < 3)
        {
            throw new ArgumentException($"The fit needs at least 3 distinct loads (got {distinct}).");
        }
    }

    // Least squares with σ and κ either free or fixed (on a bound); λ is always free.
    private static Candidate FitFace(double[] loads, double[] observed, double? sigma, double? kappa)
    {
        if (sigma is { } s && kappa is { } k)
        {
            // λ alone enters linearly: X = λ·g(N), so the least-squares λ is Σ X·g / Σ g².
            var g = loads.Select(n => new UslModel(s, k, 1).Throughput(n)).ToArray();
            var lambda = observed.Zip(g, (x, gi) => x * gi).Sum() / g.Sum(gi => gi * gi);
            return new Candidate(s, k, lambda, Sse(new UslModel(s, k, lambda), loads, observed), Fixed: 2);
        }

        // Parameters in the order σ, κ, λ; the fixed ones keep their value, the free ones are the fit's vector.
        double[] start = [sigma ?? SigmaStart, kappa ?? KappaStart, loads.Zip(observed, (n, x) => x / n).Max()];
        int[] free = [.. new[] { sigma is null ? 0 : -1, kappa is null ? 1 : -1, 2 }.Where(i => i >= 0)];

        double[] Expand(Vector<double> p)
        {
            var all = (double[])start.Clone();
            for (var j = 0; j < free.Length; j++)
            {
                all[free[j]] = p[j];
            }
            return all;
        }

        // MathNet reports the last point it evaluated, which can be a rejected trial step: keep the best one seen.
        var best = new Candidate(start[0], start[1], start[2], double.PositiveInfinity, Fixed: 3 - free.Length);

        Vector<double> Model(Vector<double> p, Vector<double> n)
        {
            var all = Expand(p);
            var model = new UslModel(all[0], all[1], all[2]);
            var values = n.Map(model.Throughput);
            var sse = values.Select((v, i) => (observed[i] - v) * (observed[i] - v)).Sum();
            if (sse < best.Sse)
            {
                best = best with { Sigma = all[0], Kappa = all[1], Lambda = all[2], Sse = sse };
            }
            return values;
        }

        Matrix<double> Jacobian(Vector<double> p, Vector<double> n)
        {
            var all = Expand(p);
            var (sg, kp, lm) = (all[0], all[1], all[2]);
            var jacobian = Matrix<double>.Build.Dense(n.Count, free.Length);
            for (var i = 0; i < n.Count; i++)
            {
                var ni = n[i];
                var d = 1 + sg * (ni - 1) + kp * ni * (ni - 1);
                for (var j = 0; j < free.Length; j++)
                {
                    jacobian[i, j] = free[j] switch
                    {
                        0 => -lm * ni * (ni - 1) / (d * d),
                        1 => -lm * ni * ni * (ni - 1) / (d * d),
                        _ => ni / d,
                    };
                }
            }
            return jacobian;
        }

        var objective = ObjectiveFunction.NonlinearModel(
            Model, Jacobian, Vector<double>.Build.DenseOfArray(loads), Vector<double>.Build.DenseOfArray(observed));
        var guess = Vector<double>.Build.DenseOfEnumerable(free.Select(i => start[i]));
        // Scales put σ ~ 0.01, κ ~ 1e-4 and λ on one footing, so LM's uniform damping treats them alike.
        var scales = guess.Clone();
        var minimizer = new LevenbergMarquardtMinimizer(
            initialMu: 1e-3, gradientTolerance: 1e-15, stepTolerance: 1e-15, functionTolerance: 1e-30, maximumIterations: 10_000);
        try
        {
            minimizer.FindMinimum(objective, guess, scales: scales);
        }
        catch (ArgumentException)
        {
            // MathNet refuses a non-finite trial point (a singular step); the best point before it stands.
        }
        return best;
    }

    private static double Sse(UslModel model, double[] loads, double[] observed) =>
        loads.Select((n, i) => observed[i] - model.Throughput(n)).Sum(r => r * r);

    private static UslModel WithQuality(UslModel model, IReadOnlyList<ScalingPoint> points)
    {
        var sse = Sse(model, [.. points.Select(p => p.Load)], [.. points.Select(p => p.Throughput)]);
        var mean = points.Average(p => p.Throughput);
        var sst = points.Sum(p => (p.Throughput - mean) * (p.Throughput - mean));
        return model with
        {
            // Flat data (SST = 0) are fitted exactly by σ = 1, κ = 0.
            RSquared = sst > 0 ? 1 - sse / sst : 1,
            ResidualStandardError = points.Count > 3 ? Math.Sqrt(sse / (points.Count - 3)) : null,
            Points = points.Count,
        };
    }

    private sealed record Candidate(double Sigma, double Kappa, double Lambda, double Sse, int Fixed)
    {
        public bool IsFeasible =>
            Sigma is >= 0 and <= 1 && Kappa is >= 0 and <= 1 && Lambda > 0 && double.IsFinite(Lambda) && double.IsFinite(Sse);
    }
}
