namespace SiteSync.Central.Storage;

/// <summary>The storage engines central runs on.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}
