using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SiteSync.Central.Storage.Sqlite;

/// <summary>The SQLite model: the embedded default.</summary>
public sealed class SqliteSiteSyncDbContext(DbContextOptions<SqliteSiteSyncDbContext> options) : SiteSyncDbContext(options)
{
    public override StorageProvider Provider => StorageProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: EF stores DateTimeOffset as text it cannot compare or order in SQL. UTC ticks as
        // integers keep range filters (the site log's date range) and ordering in the database.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
