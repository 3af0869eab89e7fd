using System.Security.Cryptography.X509Certificates;

namespace SiteSync.Central.Storage;

/// <summary>How the data-protection keys kept in the database are protected at rest (<c>SiteSync:DataProtection</c>).</summary>
public sealed class KeyProtectionOptions
{
    public const string SectionName = "SiteSync:DataProtection";

    /// <summary>A PKCS#12 (.pfx) file with a private key; when set, every key is encrypted with it before it is stored. Every
    /// node needs the same file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/> (an environment variable or secret store, never appsettings).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The certificate, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable, or has no private key.</exception>
    public X509Certificate2? Load()
    {
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            return null;
        }
        var path = Path.GetFullPath(CertificatePath);
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{SectionName}:CertificatePath '{path}' has no private key: keys could not be read back.");
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath '{path}' could not be loaded (wrong password or not PKCS#12).", exception);
        }
    }
}
