using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Client;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Diagnostics;
using SiteSync.Remote.Settings;
using SiteSync.Remote.Storage;

namespace SiteSync.Remote.Sync;

/// <summary>One sync cycle (DESIGN §6, reference §3.3): site info → initialise if new → push → wait for integration → pull
/// the change log → pull the queue and acknowledge → integrate. Every step persists its progress before the next request,
/// so a cycle killed anywhere is resumed by the next one without loss, duplicates or echoes.</summary>
internal sealed class SyncEngine(
    SyncApiClient client,
    LocalStore store,
    RemoteSiteOptions options,
    RequestSizeController requestSize,
    TimeProvider time,
    ILogger logger)
{
    private int _pushed;
    private int _pulledCentral;
    private int _pulledQueue;

    public async Task<SyncReport> RunAsync(SyncCycleOptions cycle, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var logId = await store.SyncLog.StartAsync(cancellationToken);
        Log.CycleStarted(logger, requestSize.Current);
        try
        {
            var report = await RunStepsAsync(cycle, started, cancellationToken);
            await store.SyncLog.FinishAsync(logId, entry => Fill(entry, report.Outcome, null, null, report.Integrated, report.UnknownTables.Count), cancellationToken);
            Log.CycleFinished(logger, report.Outcome, report.Pushed, report.PulledCentral, report.PulledQueue, report.Integrated);
            return report;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var code = ErrorCodeOf(exception);
            await store.SyncLog.FinishAsync(logId, entry => Fill(entry, SyncOutcomes.Failed, code, exception.Message, 0, 0), CancellationToken.None);
            Log.CycleFailed(logger, code);
            throw;
        }
    }

    internal static string ErrorCodeOf(Exception exception) => exception switch
    {
        SyncApiException { ErrorCode: { } code } => code,
        SyncApiException api => string.Create(CultureInfo.InvariantCulture, $"http_{(int)api.StatusCode}"),
        SyncCycleException cycle => cycle.Code,
        RemoteRefusedException refused => refused.Code,
        HttpRequestException => SyncCycleErrorCodes.ConnectionError,
        TimeoutException => SyncCycleErrorCodes.RequestTimeout,
        _ => "unknown",
    };

    private void Fill(SyncLogEntity entry, string outcome, string? code, string? message, int integrated, int unknownTables)
    {
        entry.Outcome = outcome;
        entry.ErrorCode = code;
        entry.Message = message;
        entry.Pushed = _pushed;
        entry.PulledCentral = _pulledCentral;
        entry.PulledQueue = _pulledQueue;
        entry.Integrated = integrated;
        entry.UnknownTables = unknownTables;
        entry.RequestSize = requestSize.Current;
    }

    private async Task<SyncReport> RunStepsAsync(SyncCycleOptions cycle, long started, CancellationToken cancellationToken)
    {
        var settings = await store.Settings.ReadAsync(cancellationToken);
        var progress = cycle.Progress;
        var stop = cycle.StopAfterBatch;

        progress?.Report(new SyncProgress(SyncPhases.SiteInfo, 0, null));
        var site = await AnsweredInTimeAsync(client.GetSiteInfoAsync(cancellationToken));
        if (settings.SiteUuid is { } knownUuid && !string.Equals(knownUuid, site.Id, StringComparison.Ordinal))
        {
            throw new RemoteRefusedException(
                RefusalCodes.SiteIdentityChanged,
                $"Central reports another site (id {site.Id}) than the one this data directory synced with ({knownUuid}); set up a new data directory for it.");
        }

        await store.Settings.WriteAsync(
            new Dictionary<string, string?>
            {
                [SettingKeys.SiteUuid] = site.Id,
                [SettingKeys.SiteId] = StoredSettings.Text(site.SiteId),
                [SettingKeys.CentralSiteId] = StoredSettings.Text(site.MSupplyCentralSiteId),
            },
            cancellationToken);

        if (!settings.IsQueueInitialised)
        {
            await InitialiseAsync(site, progress, cancellationToken);
        }

        var isInitialised = settings.IsInitialised;
        if (isInitialised)
        {
            if (!await PushAsync(progress, stop, cancellationToken))
            {
                return Report(SyncOutcomes.Stopped, started, null);
            }

            await WaitForIdleAsync(options.IntegrationPollPeriod, options.IntegrationTimeout, SyncCycleErrorCodes.IntegrationTimeoutReached, progress, cancellationToken);
        }

        if (!await PullCentralAsync(progress, stop, cancellationToken) || !await PullQueueAsync(progress, stop, cancellationToken))
        {
            // The buffer keeps what was pulled; integrating only after both pulls drain keeps headers and lines together.
            return Report(SyncOutcomes.Stopped, started, null);
        }

        progress?.Report(new SyncProgress(SyncPhases.Integrate, 0, await store.Pull.CountAsync(cancellationToken)));
        var integration = await store.Pull.IntegrateAsync(TableCatalog.Default, site.SiteId, cancellationToken);
        FailPoints.Hit("integrate.after_commit_before_mark");
        progress?.Report(new SyncProgress(SyncPhases.Integrate, integration.Total, integration.Total));
        if (!isInitialised)
        {
            await store.Settings.WriteAsync(new Dictionary<string, string?> { [SettingKeys.IsInitialised] = StoredSettings.Text(true) }, cancellationToken);
        }

        return Report(SyncOutcomes.Ok, started, integration);
    }

    private SyncReport Report(string outcome, long started, IntegrationResult? integration) => new(
        outcome,
        _pushed,
        _pulledCentral,
        _pulledQueue,
        integration?.Total ?? 0,
        integration?.UnknownTables.Order(StringComparer.Ordinal).ToList() ?? [],
        requestSize.Current,
        integration?.ActiveStoreIds ?? [],
        time.GetElapsedTime(started));

    /// <summary>Reference §3.4: POST initialise unless central already says <c>started</c>; a 2xx means done; a lost
    /// connection or a timeout falls through to polling <c>site_status</c>; a refusal fails the cycle.</summary>
    private async Task InitialiseAsync(SiteInfo site, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new SyncProgress(SyncPhases.Initialise, 0, null));
        var mustPoll = string.Equals(site.InitialisationStatus, InitialisationStatuses.Started, StringComparison.Ordinal);
        if (!mustPoll)
        {
            try
            {
                var answer = await client.InitialiseAsync(cancellationToken);
                Log.Initialised(logger, answer.QueueLength);
            }
            catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
            {
                mustPoll = true;
            }
        }

        if (mustPoll)
        {
            await WaitForIdleAsync(
                options.InitialisationPollPeriod, options.InitialisationTimeout, SyncCycleErrorCodes.InitialisationTimeoutReached, progress, cancellationToken);
        }

        await store.Settings.WriteAsync(new Dictionary<string, string?> { [SettingKeys.IsQueueInitialised] = StoredSettings.Text(true) }, cancellationToken);
    }

    /// <summary>Reference §3.6: batches of the current request size, each with the remaining count including itself; the push
    /// cursor advances only after central accepted a batch; then the final <c>{"queueLength":0,"data":[]}</c>, which central
    /// must answer with <c>integrationStarted:true</c>.</summary>
    /// <returns>False when a stop was requested before the push finished.</returns>
    private async Task<bool> PushAsync(IProgress<SyncProgress>? progress, CancellationToken stop, CancellationToken cancellationToken)
    {
        var cursor = await store.Settings.ReadCursorAsync(CursorNames.Push, cancellationToken);
        long? total = null;
        while (true)
        {
            var (records, lastId, remaining, answer) = await CallAsync(
                async (size, token) =>
                {
                    var (batch, last, left) = await store.Changes.NextPushBatchAsync(cursor, size, token);
                    var response = await client.PushQueuedRecordsAsync(new RemoteSyncBatch(batch.Count == 0 ? 0 : left, batch), token);
                    return (batch, last, left, response);
                },
                result => result.batch.Count,
                cancellationToken);
            total ??= remaining;

            if (records.Count == 0)
            {
                if (!answer.IntegrationStarted)
                {
                    throw new SyncCycleException(
                        SyncCycleErrorCodes.IntegrationNotStarted, "Central answered the final push batch without starting integration.");
                }

                return true;
            }

            FailPoints.Hit("push.after_send_before_cursor");
            cursor = lastId;
            await store.Settings.WriteCursorAsync(CursorNames.Push, cursor, cancellationToken);
            FailPoints.Hit("push.after_cursor_before_next");
            _pushed += records.Count;
            progress?.Report(new SyncProgress(SyncPhases.Push, _pushed, total));
            if (stop.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary>Polls <c>site_status</c> until central reports idle: at once (central has usually integrated a small push by
    /// the time it is asked, so an empty cycle never waits), then after an eighth of <paramref name="period"/>, doubling the
    /// wait up to <paramref name="period"/> (the real client's fixed cadence) for a long integration.</summary>
    private async Task WaitForIdleAsync(
        TimeSpan period, TimeSpan timeout, string timeoutCode, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new SyncProgress(SyncPhases.WaitIntegration, 0, null));
        var started = time.GetTimestamp();
        var wait = period / FirstPollWaitDivisor;
        while (true)
        {
            var status = await AnsweredInTimeAsync(client.GetSiteStatusAsync(cancellationToken));
            if (string.Equals(status.Code, SiteStatusCodes.Idle, StringComparison.Ordinal))
            {
                return;
            }

            if (time.GetElapsedTime(started) >= timeout)
            {
                throw new SyncCycleException(timeoutCode, $"Central still reports '{status.Code}' after {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(wait, time, cancellationToken);
            wait = wait * 2 < period ? wait * 2 : period;
        }
    }

    /// <summary>The first wait between two <c>site_status</c> polls is the poll period divided by this.</summary>
    internal const int FirstPollWaitDivisor = 8;

    /// <summary>A request made once (site info, a status poll): the client bounds it by the request timeout, and a timeout fails
    /// the cycle with <see cref="SyncCycleErrorCodes.RequestTimeout"/>, as the last attempt of a sized request does.</summary>
    internal static async Task<T> AnsweredInTimeAsync<T>(Task<T> request)
    {
        try
        {
            return await request;
        }
        catch (TimeoutException exception)
        {
            throw new SyncCycleException(SyncCycleErrorCodes.RequestTimeout, exception.Message, exception);
        }
    }

    /// <inheritdoc cref="AnsweredInTimeAsync{T}(Task{T})"/>
    internal static async Task AnsweredInTimeAsync(Task request)
    {
        try
        {
            await request;
        }
        catch (TimeoutException exception)
        {
            throw new SyncCycleException(SyncCycleErrorCodes.RequestTimeout, exception.Message, exception);
        }
    }

    /// <summary>Reference §3.5: the cursor is exclusive; each page and the cursor after it are stored in one transaction; the loop
    /// ends on an empty page once the cursor has reached <c>maxCursor</c>.</summary>
    /// <remarks>The next page is asked for as soon as a page has arrived, while that page is being stored: central prepares and
    /// sends one page while the site writes the other (on a 150,000-record initialisation the two took about as long as each
    /// other). The early request says the cursor stored so far (<see cref="SyncRoutes.CentralRecordsStored"/>), and nothing
    /// the site stores depends on it: if storing fails or the cycle stops, the answer is dropped and the next cycle asks again
    /// from the stored cursor.</remarks>
    private async Task<bool> PullCentralAsync(IProgress<SyncProgress>? progress, CancellationToken stop, CancellationToken cancellationToken)
    {
        var cursor = await store.Settings.ReadCursorAsync(CursorNames.CentralPull, cancellationToken);
        var startCursor = cursor;
        InFlight<PulledCentralPage>? ahead = null;
        try
        {
            while (true)
            {
                var from = cursor;
                var asked = ahead;
                ahead = null;
                var page = await CallAsync(
                    (size, token) => client.GetCentralRecordsAsync(from, null, size, PulledPages.ReadCentral, PulledPages.Problem, token),
                    result => result.Data?.Count ?? 0,
                    cancellationToken,
                    asked);
                // "data" may be absent: the real client defaults it to [] (reference §2.5).
                var rows = page.Data ?? [];
                if (rows.Count == 0)
                {
                    // Drained. An empty page below maxCursor means central (which scans past gaps) sees no committed row above
                    // the cursor yet: the real client then steps the cursor by one, which can skip a row committed out of order,
                    // so the cursor stays and the next cycle asks again.
                    return true;
                }

                FailPoints.Hit("pull.after_receive_before_save");
                var records = rows.Select(r => ToIncoming(r.TableName, r.RecordId, r.Action, r.RecordData)).ToList();
                var last = rows[^1].Id;
                if (!stop.IsCancellationRequested)
                {
                    ahead = StartAhead(
                        (size, token) => client.GetCentralRecordsAsync(last, from, size, PulledPages.ReadCentral, PulledPages.Problem, token),
                        cancellationToken);
                }

                await store.Pull.BufferAsync(records, BufferSources.Central, (CursorNames.CentralPull, last), cancellationToken);
                cursor = last;
                _pulledCentral += records.Count;
                progress?.Report(new SyncProgress(SyncPhases.PullCentral, cursor - startCursor, Math.Max(page.MaxCursor - startCursor, 0)));
                if (stop.IsCancellationRequested)
                {
                    return false;
                }
            }
        }
        finally
        {
            await DiscardAsync(ahead);
        }
    }

    /// <summary>Reference §3.7: each batch is committed to the buffer before it is acknowledged, so an acknowledged record is
    /// never lost; a batch stored but not acknowledged comes again and overwrites itself in the buffer.</summary>
    private async Task<bool> PullQueueAsync(IProgress<SyncProgress>? progress, CancellationToken stop, CancellationToken cancellationToken)
    {
        long? total = null;
        while (true)
        {
            var batch = await CallAsync(
                (size, token) => client.GetQueuedRecordsAsync(size, PulledPages.ReadQueue, PulledPages.Problem, token),
                result => result.Data?.Count ?? 0,
                cancellationToken);
            if (batch.Data is not { Count: > 0 } data)
            {
                return true;
            }

            total ??= batch.QueueLength;
            FailPoints.Hit("pull.after_receive_before_save");
            var records = data.Select(r => ToIncoming(r.TableName, r.RecordId, r.Action, r.RecordData)).ToList();
            await store.Pull.BufferAsync(records, BufferSources.Queue, null, cancellationToken);
            FailPoints.Hit("pull.after_save_before_ack");
            await CallAsync(
                async (_, token) =>
                {
                    await client.AcknowledgeRecordsAsync(data.Select(r => r.SyncOutId).ToList(), token);
                    return 0;
                },
                _ => 0,
                cancellationToken);
            _pulledQueue += records.Count;
            progress?.Report(new SyncProgress(SyncPhases.PullQueue, _pulledQueue, total));
            if (stop.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private static IncomingRecord ToIncoming(string tableName, string recordId, string action, RecordBytes? data)
    {
        var normalised = SyncActions.Normalise(action) switch
        {
            SyncActions.Insert or SyncActions.Update => SyncActions.Update,
            { } known => known,
            null => throw new SyncCycleException(
                SyncCycleErrorCodes.InvalidRecord, $"Central sent action '{action}' for {tableName} {recordId}; the batch was not stored."),
        };

        if (normalised == SyncActions.Merge)
        {
            string? removed = null;
            if (data is { } bytes)
            {
                using var document = JsonDocument.Parse(bytes.Memory);
                removed = JsonFields.StringField(document.RootElement, MergeFields.Delete);
            }

            return new IncomingRecord(tableName, "merge:" + (removed ?? recordId), normalised, data);
        }

        if (normalised == SyncActions.Update && data is null)
        {
            throw new SyncCycleException(
                SyncCycleErrorCodes.InvalidRecord, $"Central sent {tableName} {recordId} to upsert without data; the batch was not stored.");
        }

        return new IncomingRecord(tableName, recordId, normalised, normalised == SyncActions.Delete ? null : data);
    }

    /// <summary>Runs one sized request (the client bounds it by the request timeout); adapts the request size to how it went and
    /// retries a transient failure at the smaller size, up to <see cref="RemoteSiteOptions.MaxAttempts"/> attempts.</summary>
    /// <param name="call">The request at a given size.</param>
    /// <param name="recordsOf">How many records an answer carries.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <param name="asked">The first attempt, when it was started ahead (<see cref="Start{T}"/>); later attempts call again.</param>
    private async Task<T> CallAsync<T>(
        Func<int, CancellationToken, Task<T>> call, Func<T, int> recordsOf, CancellationToken cancellationToken, InFlight<T>? asked = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var inFlight = attempt == 1 && asked is not null ? asked : Start(call, cancellationToken);
            var size = inFlight.Size;
            try
            {
                var (result, elapsed) = await AnsweredAsync(inFlight);
                if (requestSize.OnSuccess(elapsed, recordsOf(result)))
                {
                    await SaveRequestSizeAsync(size, cancellationToken);
                }

                return result;
            }
            catch (Exception exception) when (IsTransient(exception, cancellationToken))
            {
                if (requestSize.OnFailure())
                {
                    await SaveRequestSizeAsync(size, cancellationToken);
                }

                if (attempt >= options.MaxAttempts)
                {
                    if (exception is TimeoutException or OperationCanceledException)
                    {
                        throw new SyncCycleException(
                            SyncCycleErrorCodes.RequestTimeout,
                            $"Central did not answer within {options.RequestTimeout.TotalSeconds:0} s ({attempt} attempts).",
                            exception);
                    }

                    throw;
                }
            }
        }
    }

    /// <summary>A request sent and not yet awaited, with the size it asked for and, once answered, how long it took (measured
    /// when the answer arrived, not when it was awaited).</summary>
    private sealed record InFlight<T>(int Size, Task<(T Result, TimeSpan Elapsed)> Request, CancellationTokenSource? Cancel = null);

    private static async Task<(T Result, TimeSpan Elapsed)> AnsweredAsync<T>(InFlight<T> inFlight)
    {
        using (inFlight.Cancel)
        {
            return await inFlight.Request;
        }
    }

    /// <summary>Sends a request at the current size without waiting for it. Touches no local storage: the cycle's connection is
    /// used by one statement at a time.</summary>
    private InFlight<T> Start<T>(Func<int, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var size = requestSize.Current;
        return new InFlight<T>(size, TimedAsync(call, size, cancellationToken));
    }

    /// <summary><see cref="Start{T}"/> for a request that may be dropped (<see cref="DiscardAsync{T}"/> cancels it).</summary>
    private InFlight<T> StartAhead<T>(Func<int, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var size = requestSize.Current;
        return new InFlight<T>(size, TimedAsync(call, size, cancel.Token), cancel);
    }

    private async Task<(T Result, TimeSpan Elapsed)> TimedAsync<T>(Func<int, CancellationToken, Task<T>> call, int size, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = await call(size, cancellationToken);
        return (result, time.GetElapsedTime(started));
    }

    /// <summary>Cancels a request asked ahead whose answer is no longer wanted and waits for it, so it neither outlives the cycle
    /// nor leaves an unobserved failure; its answer (or failure) is dropped: the next cycle asks again from the stored cursor.</summary>
    private async Task DiscardAsync<T>(InFlight<T>? ahead)
    {
        if (ahead is null)
        {
            return;
        }

        using (ahead.Cancel)
        {
            await (ahead.Cancel?.CancelAsync() ?? Task.CompletedTask);
            try
            {
                await ahead.Request;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.PageAheadDropped(logger, exception.GetType().Name);
            }
        }
    }

    private async Task SaveRequestSizeAsync(int previous, CancellationToken cancellationToken)
    {
        Log.RequestSizeChanged(logger, previous, requestSize.Current);
        await store.Settings.WriteAsync(
            new Dictionary<string, string?> { [SettingKeys.RequestSize] = StoredSettings.Text(requestSize.Current) },
            cancellationToken);
    }

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or TimeoutException => true,
        // The HTTP client's own timeout, when the host gave it one.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        SyncApiException api => api.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.RequestTimeout
            or HttpStatusCode.TooManyRequests || (int)api.StatusCode >= 500,
        _ => false,
    };
}
