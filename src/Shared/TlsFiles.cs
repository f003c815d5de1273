using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GrpcLoadLab.Common;

/// <summary>
/// Reads the PEM files of TLS, as openssl writes them: the certificates of the authorities to trust, and a certificate
/// with its private key. Read at start-up, so that a missing, garbled, expired or mismatched file is refused in one
/// line, naming the file, before anything starts.
/// </summary>
internal static class TlsFiles
{
    private const string RsaKey = "1.2.840.113549.1.1.1";
    private const string EcKey = "1.2.840.10045.2.1";

    /// <summary>Every certificate in <paramref name="path"/>: the authorities a peer's certificate must chain to.</summary>
    /// <param name="role">What the file is, as the message names it, e.g. "the CA file (--ca-file)".</param>
    /// <exception cref="TlsFileException">The file is missing or holds no readable certificate.</exception>
    public static X509Certificate2Collection ReadAuthorities(string path, string role)
    {
        var text = ReadText(path, role);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw new TlsFileException($"{role} '{path}' holds a certificate that cannot be read ({e.Message.TrimEnd('.')})");
        }

        return authorities.Count > 0
            ? authorities
            : throw new TlsFileException($"{role} '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    /// <summary>The first certificate of <paramref name="certificatePath"/> with the private key of <paramref name="keyPath"/>.</summary>
    /// <exception cref="TlsFileException">A file is missing or unreadable, the certificate has expired, or the key is not its key.</exception>
    public static X509Certificate2 ReadIdentity(string certificatePath, string certificateRole, string keyPath, string keyRole)
    {
        var certificateText = ReadText(certificatePath, certificateRole);
        var keyText = ReadText(keyPath, keyRole);
        using var certificate = ReadCertificate(certificateText, certificatePath, certificateRole);
        if (certificate.NotAfter < DateTime.Now)
        {
            throw new TlsFileException($"{certificateRole} '{certificatePath}' expired on {certificate.NotAfter:yyyy-MM-dd}: make a new one");
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificateText, keyText);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsFileException(KeyReadable(certificate, keyText)
                ? $"{keyRole} '{keyPath}' is not the private key of {certificateRole} '{certificatePath}': give the key the certificate was made for"
                : $"{keyRole} '{keyPath}' holds no readable, unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
    }

    /// <summary>A chain policy that trusts <paramref name="authorities"/> alone (not the system's roots), without revocation lists, which self-made CAs lack.</summary>
    public static X509ChainPolicy TrustOnly(X509Certificate2Collection authorities)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(authorities);
        return policy;
    }

    private static X509Certificate2 ReadCertificate(string text, string path, string role)
    {
        try
        {
            return X509Certificate2.CreateFromPem(text);
        }
        catch (CryptographicException)
        {
            throw new TlsFileException($"{role} '{path}' holds no readable PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
    }

    /// <summary>Whether <paramref name="keyText"/> holds a private key of the certificate's algorithm, whichever key it is.</summary>
    private static bool KeyReadable(X509Certificate2 certificate, string keyText)
    {
        try
        {
            using AsymmetricAlgorithm? key = certificate.GetKeyAlgorithm() switch
            {
                RsaKey => RSA.Create(),
                EcKey => ECDsa.Create(),
                _ => null,
            };
            key?.ImportFromPem(keyText);
            return key is not null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static string ReadText(string path, string role)
    {
        if (Directory.Exists(path))
        {
            throw new TlsFileException($"{role} '{path}' is a folder, not a file");
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TlsFileException($"{role} '{path}' does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsFileException($"{role} '{path}' cannot be read ({e.Message.TrimEnd('.')})");
        }
    }
}
