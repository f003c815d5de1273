using System.CommandLine;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen run</c>'s TLS flags (<c>--ca-file</c>, <c>--cert-file</c>, <c>--key-file</c>, <c>--authority</c>,
/// <c>--insecure-skip-verify</c>): any of them makes the target https, each setting its part of the scenario's
/// <c>target.tls</c> and keeping the rest.
/// </summary>
internal sealed class TlsFlags
{
    public Option<string?> CaFile { get; } = new("--ca-file") { Description = "TLS: trust the servers whose certificates chain to this PEM CA (instead of the system's roots)." };

    public Option<string?> CertFile { get; } = new("--cert-file") { Description = "TLS: present this PEM client certificate (mTLS); with --key-file." };

    public Option<string?> KeyFile { get; } = new("--key-file") { Description = "TLS: the PEM private key of --cert-file (unencrypted)." };

    public Option<string?> Authority { get; } = new("--authority") { Description = "TLS: the name sent as :authority and checked against the servers' certificates (default: each instance's host)." };

    public Option<bool> InsecureSkipVerify { get; } = new("--insecure-skip-verify") { Description = "TLS without checking the servers' certificates: for self-signed test servers only." };

    public IEnumerable<Option> All => [CaFile, CertFile, KeyFile, Authority, InsecureSkipVerify];

    /// <summary>The scenario with the flags given applied to its target's TLS; the scenario as it is when none is given.</summary>
    /// <exception cref="ScenarioException">The TLS settings that result do not go together, naming the flag.</exception>
    public Scenario ApplyTo(Scenario scenario, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(parse);
        if (!All.Any(option => parse.GetResult(option) is { Implicit: false }))
        {
            return scenario;
        }

        var tls = scenario.Target.Tls ?? new TlsSettings();
        tls = tls with
        {
            CaFile = parse.GetValue(CaFile) ?? tls.CaFile,
            CertFile = parse.GetValue(CertFile) ?? tls.CertFile,
            KeyFile = parse.GetValue(KeyFile) ?? tls.KeyFile,
            Authority = parse.GetValue(Authority) ?? tls.Authority,
            InsecureSkipVerify = parse.GetValue(InsecureSkipVerify) || tls.InsecureSkipVerify,
        };
        if (tls.FindProblem() is { } problem)
        {
            throw new ScenarioException(FlagOf(problem.Member), null, problem.Problem);
        }

        return scenario with { Target = scenario.Target with { Tls = tls } };
    }

    private string FlagOf(string member) => member switch
    {
        nameof(TlsSettings.CaFile) => CaFile.Name,
        nameof(TlsSettings.CertFile) => CertFile.Name,
        nameof(TlsSettings.KeyFile) => KeyFile.Name,
        nameof(TlsSettings.Authority) => Authority.Name,
        _ => InsecureSkipVerify.Name,
    };
}
