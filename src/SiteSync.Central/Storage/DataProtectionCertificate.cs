using System.Security.Cryptography.X509Certificates;

namespace SiteSync.Central.Storage;

/// <summary>The certificate the data-protection keys are encrypted with, when one is configured.</summary>
public sealed record DataProtectionCertificate(X509Certificate2 Certificate);
