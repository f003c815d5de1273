using System.Diagnostics;

namespace GrpcLoadLab.Testing;

/// <summary>
/// Certificates made by openssl for the TLS tests, once per test process, in a folder of their own deleted at exit:
/// a CA; a server certificate it signed for 127.0.0.1 and localhost; a client certificate it signed; and a second,
/// unrelated CA with a client certificate of its own, for the certificates a server or client must refuse.
/// </summary>
internal sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Made = new(() => new TestCertificates());

    private TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("lab-tls-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Folder, recursive: true);
        MakeAuthority("ca", "lab test CA");
        MakeAuthority("other-ca", "another CA");
        MakeSigned("server", "ca", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
        MakeSigned("client", "ca", "lab test client", "extendedKeyUsage=clientAuth");
        MakeSigned("other-client", "other-ca", "a stranger", "extendedKeyUsage=clientAuth");
    }

    public static TestCertificates Shared => Made.Value;

    public string Folder { get; }

    public string CaFile => Pem("ca");

    public string OtherCaFile => Pem("other-ca");

    public string ServerCertificate => Pem("server");

    public string ServerKey => Key("server");

    public string ClientCertificate => Pem("client");

    public string ClientKey => Key("client");

    public string OtherClientCertificate => Pem("other-client");

    public string OtherClientKey => Key("other-client");

    /// <summary>A file of its own in <see cref="Folder"/> holding <paramref name="text"/>, for damaged files.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Pem(string name) => Path.Combine(Folder, $"{name}.pem");

    private string Key(string name) => Path.Combine(Folder, $"{name}.key");

    private void MakeAuthority(string name, string subject) =>
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", $"/CN={subject}", "-keyout", Key(name), "-out", Pem(name),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private void MakeSigned(string name, string authority, string subject, string extensions)
    {
        var request = Path.Combine(Folder, $"{name}.csr");
        var extensionFile = Path.Combine(Folder, $"{name}.ext");
        File.WriteAllText(extensionFile, extensions + "\n");
        OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-subj", $"/CN={subject}", "-keyout", Key(name), "-out", request);
        OpenSsl("x509", "-req", "-in", request, "-CA", Pem(authority), "-CAkey", Key(authority), "-CAcreateserial",
            "-days", "2", "-extfile", extensionFile, "-out", Pem(name));
    }

    private void OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = Folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {errors.Result}");
        }
    }
}
