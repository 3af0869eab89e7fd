using System.Diagnostics.Metrics;

namespace SiteSync.Central.Diagnostics;

/// <summary>Central's instruments, on one <c>Meter("SiteSync.Central")</c> from the host's meter factory.</summary>
/// <remarks>
/// <para>Stable (names, units and tags will not change without a note in docs/operations.md):
/// <c>sitesync.auth.hash_verifications</c>, <c>sitesync.sync.requests</c>, <c>sitesync.sync.records.pushed</c>,
/// <c>sitesync.sync.records.accepted</c>, <c>sitesync.sync.records.rejected</c>, <c>sitesync.sync.integration.duration</c>,
/// <c>sitesync.auth.failures</c>, <c>sitesync.auth.blocks</c>. The others may still change:
/// <c>sitesync.sync.records.forwarded</c>, <c>sitesync.sync.changelog.lag</c>, <c>sitesync.sync.queue.depth</c>,
/// <c>sitesync.sync.active_cycles</c>, <c>sitesync.auth.throttled</c>.</para>
/// <para>Cardinality is bounded: counters and histograms carry no site tag (a fleet has thousands of sites); only the
/// queue-depth gauge has one series per site, sampled from the database (<see cref="SyncStateSampler"/>).</para>
/// <para>Tests listen to this host's meter only (its scope is the factory), so parallel test servers do not see each other's
/// measurements.</para>
/// </remarks>
public sealed class SiteSyncMetrics
{
    public const string MeterName = "SiteSync.Central";
    public const string HashVerificationsName = "sitesync.auth.hash_verifications";
    public const string SyncRequestsName = "sitesync.sync.requests";
    public const string RecordsPushedName = "sitesync.sync.records.pushed";
    public const string RecordsAcceptedName = "sitesync.sync.records.accepted";
    public const string RecordsRejectedName = "sitesync.sync.records.rejected";
    public const string RecordsForwardedName = "sitesync.sync.records.forwarded";
    public const string IntegrationDurationName = "sitesync.sync.integration.duration";
    public const string ChangeLogLagName = "sitesync.sync.changelog.lag";
    public const string QueueDepthName = "sitesync.sync.queue.depth";
    public const string ActiveCyclesName = "sitesync.sync.active_cycles";
    public const string AuthFailuresName = "sitesync.auth.failures";
    public const string AuthBlocksName = "sitesync.auth.blocks";
    public const string AuthThrottledName = "sitesync.auth.throttled";

    private readonly Counter<long> _hashVerifications;
    private readonly Counter<long> _syncRequests;
    private readonly Counter<long> _pushed;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _forwarded;
    private readonly Histogram<double> _integrationDuration;
    private readonly Histogram<long> _changeLogLag;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _authBlocks;
    private readonly Counter<long> _authThrottled;
    private volatile SyncStateSample _state = SyncStateSample.Empty;

    public SiteSyncMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _hashVerifications = meter.CreateCounter<long>(HashVerificationsName, "{verification}",
            "Slow password-hash (PBKDF2) verifications; the credential cache keeps them to about one per principal per window.");
        _syncRequests = meter.CreateCounter<long>(SyncRequestsName, "{request}",
            "Sync API requests (v5 and v6) by endpoint and outcome (ok, refused, invalid, failed).");
        _pushed = meter.CreateCounter<long>(RecordsPushedName, "{record}", "Records received in pushed batches (before integration).");
        _accepted = meter.CreateCounter<long>(RecordsAcceptedName, "{record}", "Pushed records integrated into central.");
        _rejected = meter.CreateCounter<long>(RecordsRejectedName, "{record}",
            "Pushed records refused at integration (wrong store, central data, merges); each is also in the site log.");
        _forwarded = meter.CreateCounter<long>(RecordsForwardedName, "{record}",
            "Pushed records queued to other sites (transfers, patients, messages).");
        _integrationDuration = meter.CreateHistogram<double>(IntegrationDurationName, "s",
            "Time to integrate one site's push, from the final batch to the commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _changeLogLag = meter.CreateHistogram<long>(ChangeLogLagName, "{record}",
            "How far behind the central change log a site is when it asks for a page (highest id minus its cursor).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 10, 100, 1_000, 10_000, 100_000, 1_000_000] });
        _authFailures = meter.CreateCounter<long>(AuthFailuresName, "{failure}",
            "Refused authentications by scheme (site, user, login) and reason code.");
        _authBlocks = meter.CreateCounter<long>(AuthBlocksName, "{block}", "Sites blocked after too many failed password attempts.");
        _authThrottled = meter.CreateCounter<long>(AuthThrottledName, "{request}",
            "Login and admin Basic-authentication attempts refused with 429 by the rate limiter.");
        meter.CreateObservableGauge(QueueDepthName, () => _state.QueueDepths, "{record}",
            "Records each site still has to pull from its queue (queue entries plus undelivered store snapshots), sampled.");
        meter.CreateObservableGauge(ActiveCyclesName, () => _state.ActiveCycles, "{cycle}",
            "Sites in the middle of a sync cycle (started within the last 15 minutes and not completed), sampled.");
    }

    /// <summary>Counts one slow verification; <paramref name="kind"/> is <c>site</c>, <c>user</c> or <c>unknown</c>.</summary>
    public void HashVerified(string kind) => _hashVerifications.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>One sync request; <paramref name="endpoint"/> is a route name, <paramref name="outcome"/> one of four words.</summary>
    public void SyncRequest(string endpoint, string outcome) =>
        _syncRequests.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordsPushed(int count) => _pushed.Add(count);

    /// <summary>The outcome of one integration: accepted and rejected record counts, and its duration.</summary>
    public void Integrated(int accepted, int rejected, TimeSpan elapsed)
    {
        _accepted.Add(accepted);
        _rejected.Add(rejected);
        _integrationDuration.Record(elapsed.TotalSeconds);
    }

    public void RecordsForwarded(int count) => _forwarded.Add(count);

    public void ChangeLogLag(long records) => _changeLogLag.Record(Math.Max(0, records));

    /// <summary>A refused authentication; <paramref name="scheme"/> is <c>site</c>, <c>user</c> (Basic) or <c>login</c> (form).</summary>
    public void AuthFailed(string scheme, string code) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("code", code));

    public void SiteBlocked() => _authBlocks.Add(1);

    public void AuthThrottled(string scheme) => _authThrottled.Add(1, new KeyValuePair<string, object?>("scheme", scheme));

    /// <summary>Replaces the sampled database state the gauges report.</summary>
    public void Sampled(SyncStateSample sample) => _state = sample;
}
