using Microsoft.Extensions.Options;
using SiteSync.Central.Logs;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Sites;

/// <summary>A site's health and why.</summary>
public readonly record struct HealthVerdict(string Health, string Reason);

/// <summary>The one place a site's health is derived (ok, stale, failing, blocked, never synced): from its row alone — "last
/// synced", "last connection", the blocked flag, the unfinished cycle, and the failure facts its log keeps there
/// (<see cref="SiteFailureFacts"/>). The admin API, the site list, its counts and the CSV export all ask here.</summary>
public sealed class FleetHealth(IOptions<FleetOptions> options, TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public FleetOptions Options => options.Value;

    public HealthVerdict Evaluate(SiteEntity site) => Evaluate(site, Now);

    /// <summary>First match wins: blocked, failing (authentications, then the last cycle), never synced, stale, ok.</summary>
    public HealthVerdict Evaluate(SiteEntity site, DateTimeOffset now)
    {
        var settings = options.Value;
        if (site.IsActiveOnThisDatafile)
        {
            return new(SiteHealths.Ok, "The central server itself: it does not sync with itself.");
        }
        if (site.IsBlocked)
        {
            var since = site.LastAuthFailureAt is { } at ? $" (last refusal {Durations.Ago(at, now)})" : "";
            return new(SiteHealths.Blocked, $"Blocked after too many failed password attempts{since}: an administrator must unblock it.");
        }
        if (site.AuthFailureStreak >= settings.FailingAfterAuthFailures && site.LastAuthFailureAt is { } failedAt
            && (site.LastConnectedAt is not { } connected || connected < failedAt))
        {
            var detail = site.LastErrorEvent is { } lastEvent && SiteFailureFacts.IsAuthenticationFailure(lastEvent) ? $": {site.LastErrorMessage}" : ".";
            return new(SiteHealths.Failing,
                $"The last {site.AuthFailureStreak} authentications failed, the latest {Durations.Ago(failedAt, now)}{detail}");
        }
        if (site.LastErrorAt is { } errorAt && site.LastErrorEvent is { } errorEvent && !SiteFailureFacts.IsAuthenticationFailure(errorEvent)
            && (site.LastSyncedAt is not { } syncedAt || syncedAt < errorAt))
        {
            return new(SiteHealths.Failing, $"The last sync failed {Durations.Ago(errorAt, now)}: {site.LastErrorMessage}");
        }
        if (site.CycleStartedAt is { } started && (site.LastSyncedAt is not { } lastSynced || lastSynced < started)
            && now - started > settings.CycleTimeout)
        {
            return new(SiteHealths.Failing, $"A sync cycle began {Durations.Ago(started, now)} and never finished.");
        }
        if (site.LastSyncedAt is not { } synced)
        {
            return site.LastConnectedAt is { } connectedAt
                ? new(SiteHealths.NeverSynced, $"Connected {Durations.Ago(connectedAt, now)} but has not finished a sync yet.")
                : new(SiteHealths.NeverSynced, "Has never connected: set it up on its device with its name and password.");
        }
        if (now - synced > settings.StaleAfter)
        {
            var connection = site.LastConnectedAt is { } lastConnected && lastConnected > synced
                ? $"; last connection {Durations.Ago(lastConnected, now)}"
                : "";
            return new(SiteHealths.Stale,
                $"No successful sync for {Durations.Brief(now - synced)} (stale after {Durations.Brief(settings.StaleAfter)}){connection}.");
        }
        return new(SiteHealths.Ok, $"Synced {Durations.Ago(synced, now)}.");
    }

    /// <summary>The site's latest failure as the API shows it.</summary>
    public static SiteError? LastError(SiteEntity site) =>
        site is { LastErrorAt: { } at, LastErrorEvent: { } logEvent } ? new SiteError(at, logEvent, site.LastErrorMessage ?? "") : null;

    /// <summary>Worst first: blocked 0 … ok 4.</summary>
    public static int Severity(string health) => health switch
    {
        SiteHealths.Blocked => 0,
        SiteHealths.Failing => 1,
        SiteHealths.Stale => 2,
        SiteHealths.NeverSynced => 3,
        _ => 4,
    };

    /// <summary>The health's name for people.</summary>
    public static string Label(string health) => health switch
    {
        SiteHealths.Blocked => "Blocked",
        SiteHealths.Failing => "Failing",
        SiteHealths.Stale => "Stale",
        SiteHealths.NeverSynced => "Never synced",
        _ => "OK",
    };
}

/// <summary>Reading <see cref="HealthCounts"/> by health.</summary>
public static class HealthCountsExtensions
{
    public static int Of(this HealthCounts counts, string health) => health switch
    {
        SiteHealths.Ok => counts.Ok,
        SiteHealths.Stale => counts.Stale,
        SiteHealths.Failing => counts.Failing,
        SiteHealths.Blocked => counts.Blocked,
        SiteHealths.NeverSynced => counts.NeverSynced,
        _ => 0,
    };

    public static int Total(this HealthCounts counts) => counts.Ok + counts.Stale + counts.Failing + counts.Blocked + counts.NeverSynced;
}
