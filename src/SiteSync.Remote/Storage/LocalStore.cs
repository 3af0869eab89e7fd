namespace SiteSync.Remote.Storage;

/// <summary>The site's database by concern: settings and cursors, the pull buffer and its integrator, local edits and the push
/// log, and the sync log. Every statement runs behind <see cref="LocalConnection"/>; every hand-written one is in
/// <see cref="LocalSql"/>.</summary>
internal sealed class LocalStore(LocalDatabase database, TimeProvider time)
{
    public LocalDatabase Database => database;

    public SettingsStore Settings { get; } = new(database);

    public PullBuffer Pull { get; } = new(database);

    public LocalChanges Changes { get; } = new(database, time);

    public SyncLog SyncLog { get; } = new(database, time);
}
