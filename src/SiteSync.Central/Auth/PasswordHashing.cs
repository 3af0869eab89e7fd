using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace SiteSync.Central.Auth;

/// <summary>The one place passwords are hashed and verified (ASP.NET Core <see cref="PasswordHasher{TUser}"/>, PBKDF2).</summary>
public static class PasswordHashing
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Subject = new();

    /// <summary>The form a site password takes on the wire: lowercase hex SHA-256 of the plain password (reference §1.3).</summary>
    public static string SiteSecret(string plainPassword) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plainPassword)));

    /// <summary>Hashes a site's wire secret for storage (rule 7: the salted slow hash of the SHA-256 hex).</summary>
    public static string HashSitePassword(string plainPassword) => Hasher.HashPassword(Subject, SiteSecret(plainPassword));

    public static string HashUserPassword(string plainPassword) => Hasher.HashPassword(Subject, plainPassword);

    public static bool Verify(string storedHash, string presented) =>
        Hasher.VerifyHashedPassword(Subject, storedHash, presented) != PasswordVerificationResult.Failed;

    /// <summary>A hash nobody knows the secret of, verified against for unknown names so that a missing name costs the same
    /// time as a wrong password.</summary>
    public static readonly string DummyHash = Hasher.HashPassword(Subject, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
}
