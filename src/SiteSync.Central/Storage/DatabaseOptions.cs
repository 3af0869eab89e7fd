using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Storage;

/// <summary>Where central keeps its data (<c>SiteSync:Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "SiteSync:Database";

    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    [Required, RegularExpression("^(?i)(sqlite|postgres)$", ErrorMessage = "SiteSync:Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The connection string; for SQLite it defaults to <c>sitesync.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start-up (on by default: DESIGN §4 promises a server that starts on an empty directory).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public StorageProvider ProviderKind =>
        string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase) ? StorageProvider.Postgres : StorageProvider.Sqlite;
}
