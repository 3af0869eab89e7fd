using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Operations;

/// <summary>The data-protection keys (cookies, antiforgery tokens) live in the database; with a certificate configured they are
/// stored encrypted, and without one the start-up log says what that means instead of the framework's bare warning.</summary>
public sealed class DataProtectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task WithACertificateTheKeysAreStoredEncrypted(Engine engine)
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"sitesync-dp-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=SiteSync data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"), Ct);
        }
        try
        {
            await using var central = await TestCentral.StartAsync(engine, new Dictionary<string, string?>
            {
                ["SiteSync:DataProtection:CertificatePath"] = pfx,
                ["SiteSync:DataProtection:CertificatePassword"] = "pfx-password",
            });
            using var http = central.Factory.CreateHttpClient();
            (await http.GetAsync("login", Ct)).EnsureSuccessStatusCode();

            var keys = await central.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync(Ct));

            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            });
            Assert.Contains(central.Factory.Logs.Lines, line => line.Contains("Data-protection keys are encrypted with the certificate", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task WithoutACertificateTheLogExplainsInsteadOfWarning()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        using var http = central.Factory.CreateHttpClient();
        (await http.GetAsync("login", Ct)).EnsureSuccessStatusCode();

        Assert.DoesNotContain(central.Factory.Logs.Lines, line => line.Contains("No XML encryptor", StringComparison.Ordinal));
        Assert.Contains(central.Factory.Logs.Lines, line => line.Contains("kept in the database without encryption", StringComparison.Ordinal));
    }
}
