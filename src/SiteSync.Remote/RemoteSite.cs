using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Client;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Integrity;
using SiteSync.Remote.Records;
using SiteSync.Remote.Settings;
using SiteSync.Remote.Storage;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote;

/// <summary>One remote site: its local database, its settings, its sync cycle, and its local edits. Embed it in any .NET host
/// (<c>AddSiteSyncRemote</c>) or construct it directly.</summary>
/// <remarks>Several instances (or processes) may open the same data directory: SQLite's locking orders their writes.</remarks>
public sealed class RemoteSite
{
    private readonly HttpClient _http;
    private readonly RemoteSiteOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LocalStore _store;

    /// <summary>Creates the site over a data directory.</summary>
    /// <param name="http">The HTTP client for central (not owned; its timeout should be infinite: the site bounds every request
    /// by <see cref="RemoteSiteOptions.RequestTimeout"/> on <paramref name="time"/>).</param>
    /// <param name="options">The options.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (<see cref="RemoteSiteOptions.Validate"/>).</exception>
    public RemoteSite(HttpClient http, RemoteSiteOptions options, TimeProvider? time = null, ILogger<RemoteSite>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException($"Invalid {nameof(RemoteSiteOptions)}: {string.Join(" ", errors)}", nameof(options));
        }

        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<RemoteSite>.Instance;
        _store = new LocalStore(new LocalDatabase(options.DataDirectory), _time);
    }

    /// <summary>The full path of the data directory.</summary>
    public string DataDirectory => _store.Database.DataDirectory;

    /// <summary>Whether the data directory holds a site that was set up.</summary>
    public bool IsSetUp => _store.Database.Exists;

    /// <summary>Sets up the data directory: creates the database and stores the settings (the password only as its SHA-256 hex,
    /// the authorisation code only as a salted PBKDF2 hash). Does not contact central: <see cref="CheckAsync"/> does.</summary>
    /// <param name="setup">What to set up.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>A task that completes when the settings are stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="setup"/> is null.</exception>
    /// <exception cref="RemoteRefusedException">The directory is already set up, or a value is invalid.</exception>
    public async Task InitAsync(RemoteSetup setup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (IsSetUp && (await _store.Settings.ReadAsync(cancellationToken)).Server is not null)
        {
            throw new RemoteRefusedException(
                RefusalCodes.AlreadySetUp, $"{DataDirectory} already holds a site; change it with 'config set', or use another directory.");
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingKeys.Server] = ValidateServer(setup.ServerUrl.ToString()),
            [SettingKeys.Site] = ValidateNotBlank(SettingKeys.Site, setup.SiteName),
            [SettingKeys.Password] = SyncCredentials.HashPassword(ValidateNotBlank(SettingKeys.Password, setup.Password)),
            [SettingKeys.Interval] = ValidateInterval(StoredSettings.Text(setup.IntervalMinutes ?? RemoteSettings.DefaultIntervalMinutes)),
            [SettingKeys.RequestSize] = StoredSettings.Text(RequestSizeController.DefaultInitial),
            [SettingKeys.RequestSizeMin] = StoredSettings.Text(RequestSizeController.DefaultMin),
            [SettingKeys.RequestSizeMax] = StoredSettings.Text(RequestSizeController.DefaultMax),
            [SettingKeys.HardwareId] = string.IsNullOrWhiteSpace(setup.HardwareId) ? null : setup.HardwareId.Trim(),
            [SettingKeys.AuthCodeHash] = string.IsNullOrEmpty(setup.AuthorisationCode) ? null : AuthorisationCode.Hash(setup.AuthorisationCode),
        };
        await _store.Database.MigrateAsync(cancellationToken);
        await _store.Settings.WriteAsync(values, cancellationToken);
    }

    /// <summary>The site's settings and sync state.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    public async Task<RemoteStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var (settings, stored) = await OpenAsync(cancellationToken);
        var last = await _store.SyncLog.LastAsync(successfulOnly: false, cancellationToken);
        var lastOk = await _store.SyncLog.LastAsync(successfulOnly: true, cancellationToken);
        return new RemoteStatus(
            DataDirectory,
            settings.ServerUrl,
            settings.SiteName,
            ShownHardwareId(stored) ?? "(none: set one with --hardware-id)",
            settings.SiteId,
            settings.CentralSiteId,
            settings.IsInitialised,
            settings.IntervalMinutes,
            settings.RequestSize,
            settings.RequestSizeMin,
            settings.RequestSizeMax,
            settings.IsAuthCodeSet,
            settings.ActiveStoreIds,
            await _store.Changes.CountPendingPushAsync(cancellationToken),
            await _store.Pull.CountAsync(cancellationToken),
            await _store.Settings.ReadCursorAsync(CursorNames.CentralPull, cancellationToken),
            last is null ? null : new SyncLogSummary(
                last.StartedAt, last.FinishedAt, last.Outcome, last.ErrorCode, last.Message, last.Pushed, last.PulledCentral, last.PulledQueue, last.Integrated),
            lastOk?.FinishedAt);
    }

    /// <summary>Tests URL, credentials and hardware id against central without syncing (<c>GET site</c>, then
    /// <c>GET site_status</c>), and reports the exact outcome (rule 20).</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome: <c>ok</c> or the reason; refusals are results, not exceptions.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var (settings, stored) = await OpenAsync(cancellationToken);
        var client = CreateClient(settings, stored);
        try
        {
            var site = await client.GetSiteInfoAsync(cancellationToken);
            var status = await client.GetSiteStatusAsync(cancellationToken);
            return new CheckResult(
                CheckResult.OkCode,
                $"Central accepted site '{settings.SiteName}' (site id {site.SiteId}, initialisation {site.InitialisationStatus}, status {status.Code}).",
                200,
                site,
                status);
        }
        catch (SyncApiException exception)
        {
            return new CheckResult(SyncEngine.ErrorCodeOf(exception), exception.Message, (int)exception.StatusCode, null, null);
        }
        catch (HttpRequestException exception)
        {
            return new CheckResult(SyncCycleErrorCodes.ConnectionError, $"Central at {settings.ServerUrl} cannot be reached: {exception.Message}", null, null, null);
        }
        catch (TimeoutException)
        {
            return new CheckResult(
                SyncCycleErrorCodes.RequestTimeout, $"Central at {settings.ServerUrl} did not answer within {_options.RequestTimeout.TotalSeconds:0} s.", null, null, null);
        }
    }

    /// <summary>Runs one full sync cycle (DESIGN §6). Migrates the database first if this version added migrations.</summary>
    /// <param name="cycle">Progress and the soft stop; null for neither.</param>
    /// <param name="cancellationToken">Aborts at once (the next cycle still resumes without loss).</param>
    /// <returns>What the cycle did; outcome <c>ok</c>, or <c>stopped</c> after a soft stop.</returns>
    /// <exception cref="SyncApiException">Central refused a request (see <see cref="SyncApiException.ErrorCode"/>).</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="SyncCycleException">Central broke the protocol or did not finish in time.</exception>
    /// <exception cref="RemoteRefusedException">The directory is not set up, or central reports another site than before.</exception>
    public async Task<SyncReport> SyncAsync(SyncCycleOptions? cycle, CancellationToken cancellationToken)
    {
        var (settings, stored) = await OpenAsync(cancellationToken);
        await _store.Database.MigrateAsync(cancellationToken);
        var controller = new RequestSizeController(settings.RequestSize, settings.RequestSizeMin, settings.RequestSizeMax);
        // The cycle's statements run one after another on one connection (LocalDatabase.PinAsync).
        await using var database = await _store.Database.PinAsync(cancellationToken);
        var engine = new SyncEngine(CreateClient(settings, stored), new LocalStore(database.Database, _time), _options, controller, _time, _logger);
        return await engine.RunAsync(cycle ?? new SyncCycleOptions(), cancellationToken);
    }

    /// <summary>Cycles at the configured interval until <paramref name="stoppingToken"/> is cancelled; then the cycle in flight
    /// ends after its current batch. Interval 0 pauses; the interval is re-read every
    /// <see cref="RemoteSiteOptions.SettingsRecheckPeriod"/>. A failed cycle is reported and retried at the next interval.</summary>
    /// <param name="progress">Receives progress of every cycle; null for none.</param>
    /// <param name="completed">Called after every cycle that did not fail.</param>
    /// <param name="failed">Called with the error of every failed cycle.</param>
    /// <param name="stoppingToken">Stops the loop cleanly.</param>
    /// <returns>A task that completes when the loop stopped.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    public async Task RunAsync(
        IProgress<SyncProgress>? progress, Action<SyncReport>? completed, Action<Exception>? failed, CancellationToken stoppingToken)
    {
        await OpenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Local reads are not cancelled by the stop: a stop ends the loop at its next check, never with an exception.
            var interval = (await ReadSettingsAsync(CancellationToken.None)).IntervalMinutes;
            if (interval == 0)
            {
                if (!await DelayAsync(_options.SettingsRecheckPeriod, stoppingToken))
                {
                    return;
                }

                continue;
            }

            try
            {
                completed?.Invoke(await SyncAsync(new SyncCycleOptions { Progress = progress, StopAfterBatch = stoppingToken }, CancellationToken.None));
            }
            catch (Exception exception) when (exception is SyncApiException or HttpRequestException or SyncCycleException
                or RemoteRefusedException or TimeoutException or IOException)
            {
                failed?.Invoke(exception);
            }

            var waitedSince = _time.GetTimestamp();
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = TimeSpan.FromMinutes((await ReadSettingsAsync(CancellationToken.None)).IntervalMinutes) - _time.GetElapsedTime(waitedSince);
                if (due <= TimeSpan.Zero)
                {
                    break;
                }

                if (!await DelayAsync(due < _options.SettingsRecheckPeriod ? due : _options.SettingsRecheckPeriod, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The settings <c>config get</c> shows: every settable key; secrets only as <c>set</c>.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Key → value, in <see cref="SettingKeys.Settable"/> order, plus <c>authorisation-code</c>.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetConfigAsync(CancellationToken cancellationToken)
    {
        var (settings, stored) = await OpenAsync(cancellationToken);
        return
        [
            new(SettingKeys.Server, settings.ServerUrl.ToString()),
            new(SettingKeys.Site, settings.SiteName),
            new(SettingKeys.Password, stored.PasswordHash is not null ? "set" : "not set"),
            new(SettingKeys.HardwareId, ShownHardwareId(stored) ?? ""),
            new(SettingKeys.Interval, StoredSettings.Text(settings.IntervalMinutes)),
            new(SettingKeys.RequestSize, StoredSettings.Text(settings.RequestSize)),
            new(SettingKeys.RequestSizeMin, StoredSettings.Text(settings.RequestSizeMin)),
            new(SettingKeys.RequestSizeMax, StoredSettings.Text(settings.RequestSizeMax)),
            new("authorisation-code", settings.IsAuthCodeSet ? "set" : "not set"),
        ];
    }

    /// <summary>Changes one setting. <c>interval</c> needs no code; every other key needs the authorisation code when one is
    /// set (rule 22). For <c>password</c> the value is the plain password; only its SHA-256 hex is stored.</summary>
    /// <param name="key">One of <see cref="SettingKeys.Settable"/>.</param>
    /// <param name="value">The new value; for <c>hardware-id</c> an empty value goes back to the machine id.</param>
    /// <param name="authorisationCode">The code, for protected keys.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task that completes when the setting is stored.</returns>
    /// <exception cref="RemoteRefusedException">The key is unknown, the value invalid, or the code missing or wrong.</exception>
    public async Task SetConfigAsync(string key, string value, string? authorisationCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var (settings, stored) = await OpenAsync(cancellationToken);
        if (!SettingKeys.Settable.Contains(key, StringComparer.Ordinal))
        {
            throw new RemoteRefusedException(RefusalCodes.InvalidSetting, $"Unknown setting '{key}'; settable: {string.Join(", ", SettingKeys.Settable)}.");
        }

        if (!string.Equals(key, SettingKeys.Interval, StringComparison.Ordinal)
            && stored.AuthCodeHash is { } codeHash
            && !AuthorisationCode.Verify(authorisationCode, codeHash))
        {
            throw new RemoteRefusedException(
                RefusalCodes.AuthorisationRequired,
                string.IsNullOrEmpty(authorisationCode)
                    ? $"Changing '{key}' needs the authorisation code (--auth-code-stdin)."
                    : $"The authorisation code is wrong; '{key}' was not changed.");
        }

        var updates = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (key)
        {
            case SettingKeys.Server:
                updates[key] = ValidateServer(value);
                break;
            case SettingKeys.Site:
                updates[key] = ValidateNotBlank(key, value);
                break;
            case SettingKeys.Password:
                updates[key] = SyncCredentials.HashPassword(ValidateNotBlank(key, value));
                break;
            case SettingKeys.HardwareId:
                updates[key] = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
                break;
            case SettingKeys.Interval:
                updates[key] = ValidateInterval(value);
                break;
            case SettingKeys.RequestSize:
                var size = ValidateInt(key, value, RequestSizeController.AbsoluteMin, int.MaxValue);
                updates[key] = StoredSettings.Text(Math.Clamp(size, settings.RequestSizeMin, settings.RequestSizeMax));
                break;
            case SettingKeys.RequestSizeMin or SettingKeys.RequestSizeMax:
                var bound = ValidateInt(key, value, RequestSizeController.AbsoluteMin, 100_000);
                var (min, max) = key == SettingKeys.RequestSizeMin ? (bound, settings.RequestSizeMax) : (settings.RequestSizeMin, bound);
                if (min > max)
                {
                    throw new RemoteRefusedException(RefusalCodes.InvalidSetting, $"request-size-min ({min}) must not exceed request-size-max ({max}).");
                }

                updates[key] = StoredSettings.Text(bound);
                updates[SettingKeys.RequestSize] = StoredSettings.Text(Math.Clamp(settings.RequestSize, min, max));
                break;
        }

        await _store.Settings.WriteAsync(updates, cancellationToken);
    }

    /// <summary>Stores local edits (rule 24): one JSON record or an array of them, of a store-data table, each belonging to a store
    /// active on this site (lines through their parent, in the same put or already stored). All or nothing; each record gets a
    /// change-log row and is pushed at the next cycle.</summary>
    /// <param name="tableName">The legacy table, e.g. <c>transact</c>.</param>
    /// <param name="json">A JSON object with a string <c>ID</c>, or an array of them.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>How many records were stored.</returns>
    /// <exception cref="RemoteRefusedException">The table is central data or unknown, a record is invalid, or a record belongs to
    /// a store not active here; nothing was stored.</exception>
    public async Task<int> PutRecordsAsync(string tableName, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        ArgumentNullException.ThrowIfNull(json);
        var (settings, _) = await OpenAsync(cancellationToken);
        var records = await LocalEdits.ValidateAsync(
            TableCatalog.Default[tableName], json, settings.ActiveStoreIds,
            async (table, id, token) => (await _store.Changes.FindRecordAsync(table, id, token))?.StoreId,
            cancellationToken);
        await _store.Changes.PutAsync(records, cancellationToken);
        return records.Count;
    }

    /// <summary>One record of the site's database.</summary>
    /// <param name="tableName">The table.</param>
    /// <param name="recordId">The record id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    public async Task<RemoteRecord?> GetRecordAsync(string tableName, string recordId, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        var record = await _store.Changes.FindRecordAsync(tableName, recordId, cancellationToken);
        return record is null ? null : new RemoteRecord(record.TableName, record.RecordId, record.Data, record.StoreId);
    }

    /// <summary>The records of a table, by id, optionally of one store.</summary>
    /// <param name="tableName">The table.</param>
    /// <param name="storeId">Only records of this store; null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    public async Task<IReadOnlyList<RemoteRecord>> ListRecordsAsync(string tableName, string? storeId, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        var records = await _store.Changes.ListRecordsAsync(tableName, storeId, cancellationToken);
        return records.Select(r => new RemoteRecord(r.TableName, r.RecordId, r.Data, r.StoreId)).ToList();
    }

    /// <summary>The integrity audit (<c>sitesync remote verify</c>): digests every group of records this site holds (central data
    /// by table, its stores' data by table and store), has central compare them with its copy, fetches central's record hashes of
    /// each differing group to name the records that differ, and reports those to central, which keeps the result for support.
    /// Reads only: nothing local changes.</summary>
    /// <param name="cancellationToken">Cancels the audit.</param>
    /// <returns>Whether the site matches central, and which records differ.</returns>
    /// <exception cref="RemoteRefusedException">The directory is not set up.</exception>
    /// <exception cref="SyncApiException">Central refused a request (e.g. a store that is no longer active on this site).</exception>
    /// <exception cref="HttpRequestException">Central could not be reached.</exception>
    /// <exception cref="SyncCycleException">Central did not answer in time, or broke the protocol.</exception>
    public async Task<IntegrityVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var (settings, stored) = await OpenAsync(cancellationToken);
        await _store.Database.MigrateAsync(cancellationToken);
        var client = CreateClient(settings, stored);
        var pendingPush = await _store.Changes.CountPendingPushAsync(cancellationToken);
        var buffered = await _store.Pull.CountAsync(cancellationToken);
        var cursor = await _store.Settings.ReadCursorAsync(CursorNames.CentralPull, cancellationToken);
        var digest = new LocalDigest(_store.Database);
        var local = await digest.ComputeAsync(TableCatalog.Default, settings.ActiveStoreIds, cancellationToken);

        var groups = local.Groups.Select(g => new IntegrityGroup(g.Key.TableName, g.Key.StoreId, g.Value.Count, g.Value.Digest)).ToList();
        var answer = await SyncEngine.AnsweredInTimeAsync(
            client.CheckIntegrityAsync(new IntegrityRequest(pendingPush, cursor, groups), cancellationToken));

        var differences = new List<IntegrityDifference>();
        long differenceCount = 0;
        foreach (var group in answer.Groups.Where(g => !g.Matches))
        {
            differenceCount += await digest.CompareGroupAsync(
                group.TableName,
                group.StoreId,
                (after, token) => SyncEngine.AnsweredInTimeAsync(
                    client.GetIntegrityRecordsAsync(new IntegrityRecordsRequest(group.TableName, group.StoreId, after, IntegrityLimits.MaxRecordsPage), token)),
                differences,
                IntegrityVerification.MaxListed,
                cancellationToken);
        }

        if (!answer.Matches)
        {
            var reported = differences.Where(d => IntegrityLimits.IsReportableId(d.RecordId)).Take(IntegrityLimits.MaxReportedDifferences).ToList();
            await SyncEngine.AnsweredInTimeAsync(
                client.ReportIntegrityAsync(new IntegrityReport(answer.AuditId, Math.Max(differenceCount, reported.Count), reported), cancellationToken));
        }

        return new IntegrityVerification(
            answer.Matches, answer.CheckedAt, answer.AuditId, answer.Groups, differenceCount, differences, local.RecordsChecked,
            local.OtherStoreRecords, local.UnknownTableRecords, pendingPush, buffered, cursor, answer.ChangeLogMaxCursor);
    }

    private async Task<RemoteSettings> ReadSettingsAsync(CancellationToken cancellationToken) => (await OpenAsync(cancellationToken)).Settings;

    private async Task<(RemoteSettings Settings, StoredSettings Stored)> OpenAsync(CancellationToken cancellationToken)
    {
        if (!IsSetUp)
        {
            throw new RemoteRefusedException(RefusalCodes.NotSetUp, $"{DataDirectory} holds no site; run 'sitesync remote init' first.");
        }

        var stored = await _store.Settings.ReadAsync(cancellationToken);
        if (!stored.IsSetUp)
        {
            throw new RemoteRefusedException(RefusalCodes.NotSetUp, $"{DataDirectory} holds no site; run 'sitesync remote init' first.");
        }

        return (stored.ToRemoteSettings(), stored);
    }

    /// <summary>The hardware id shown to people: the first override, else the machine id; null when there is none.</summary>
    private string? ShownHardwareId(StoredSettings stored) =>
        new[] { _options.HardwareId, stored.HardwareId }.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim()
            ?? HardwareId.ReadMachineId();

    private SyncApiClient CreateClient(RemoteSettings settings, StoredSettings stored) => new(
        _http,
        settings.ServerUrl,
        new SyncCredentials(
            settings.SiteName,
            stored.PasswordHash
                ?? throw new RemoteRefusedException(RefusalCodes.NotSetUp, $"{DataDirectory} holds no password; set one with 'config set password'."),
            HardwareId.Resolve(_options.HardwareId, stored.HardwareId),
            SyncCredentials.SiteSyncRemoteAppName,
            _options.AppVersion),
        // Every request the site makes is bounded here, once: none can hang a cycle, a check or an audit on a silent link.
        _options.RequestTimeout,
        _time);

    private static string ValidateServer(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new RemoteRefusedException(RefusalCodes.InvalidSetting, $"'{value}' is not an http or https URL.");
        }

        return uri.ToString();
    }

    private static string ValidateNotBlank(string key, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new RemoteRefusedException(RefusalCodes.InvalidSetting, $"'{key}' must not be empty.") : value;

    private static string ValidateInterval(string value) =>
        StoredSettings.Text(ValidateInt(SettingKeys.Interval, value, 0, 7 * 24 * 60));

    private static int ValidateInt(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new RemoteRefusedException(RefusalCodes.InvalidSetting, $"'{key}' must be a whole number from {min} to {max}.");
}
