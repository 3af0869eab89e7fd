using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;

namespace SiteSync.Central.Auth;

/// <summary>Remembers, for a short window, that a presented secret verified against a slow hash, so a busy central does not
/// spend a PBKDF2 (~50 ms of CPU) on every request of every sync.</summary>
/// <remarks>The key is an HMAC of the secret under a per-process random key (the secret itself is never kept), plus the
/// principal's credential version: a password change, block, unblock or hardware-id reset bumps the version in the
/// database, so a stale entry can never match again, on this node or any other.</remarks>
public sealed class CredentialCache(IMemoryCache cache, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public bool IsVerified(string kind, int principalId, int credentialVersion, string secret) =>
        cache.TryGetValue(Key(kind, principalId, credentialVersion, secret), out _);

    public void MarkVerified(string kind, int principalId, int credentialVersion, string secret) =>
        cache.Set(Key(kind, principalId, credentialVersion, secret), true, time.GetUtcNow() + Lifetime);

    private string Key(string kind, int principalId, int credentialVersion, string secret)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(secret));
        return $"{kind}:{principalId}:{credentialVersion}:{Convert.ToHexString(mac)}";
    }
}
