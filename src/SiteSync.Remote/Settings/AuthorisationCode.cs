using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SiteSync.Remote.Settings;

/// <summary>The authorisation code that unlocks protected settings (rule 22), kept only as a salted PBKDF2 hash.</summary>
internal static class AuthorisationCode
{
    private const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Scheme = "pbkdf2-sha256";

    public static string Hash(string code)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(code, salt, Iterations);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string? code, string stored)
    {
        if (string.IsNullOrEmpty(code))
        {
            return false;
        }

        var parts = stored.Split('$');
        if (parts is not [Scheme, var iterations, var salt, var hash])
        {
            return false;
        }

        var expected = Convert.FromBase64String(hash);
        var actual = Derive(code, Convert.FromBase64String(salt), int.Parse(iterations, CultureInfo.InvariantCulture));
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string code, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
