namespace SiteSync.Cli;

/// <summary>The exit codes of <c>sitesync</c> (DESIGN §6); scripts rely on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Central refused: credentials, blocked site, hardware id, or API version.</summary>
    public const int RefusedByCentral = 3;

    /// <summary>The site refused: store data of another store, central data, a protected setting without the code.</summary>
    public const int RefusedLocally = 4;
}
