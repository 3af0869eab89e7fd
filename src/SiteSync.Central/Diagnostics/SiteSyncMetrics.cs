using System.Diagnostics.Metrics;

namespace SiteSync.Central.Diagnostics;

/// <summary>Central's instruments, on one <c>Meter("SiteSync.Central")</c> from the host's meter factory.</summary>
/// <remarks>Stable: <c>sitesync.auth.hash_verifications</c>. Tests listen to this host's meter only (its scope is the
/// factory), so parallel test servers do not see each other's measurements.</remarks>
public sealed class SiteSyncMetrics
{
    public const string MeterName = "SiteSync.Central";
    public const string HashVerificationsName = "sitesync.auth.hash_verifications";

    private readonly Counter<long> _hashVerifications;

    public SiteSyncMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _hashVerifications = meter.CreateCounter<long>(HashVerificationsName, "{verification}",
            "Slow password-hash (PBKDF2) verifications; the credential cache keeps them to about one per principal per window.");
    }

    /// <summary>Counts one slow verification; <paramref name="kind"/> is <c>site</c>, <c>user</c> or <c>unknown</c>.</summary>
    public void HashVerified(string kind) => _hashVerifications.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
