using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Logs;

/// <summary>Keeps each site's failure facts (<c>last_error_*</c>, the authentication failure streak) on its row, from the site log
/// lines as they are saved: whoever writes a failure to a site's log (authentication, initialisation, integration) updates the
/// facts in the same save, inside the writer's transaction when it has one. The fleet's health is then derived from the site rows
/// alone (<see cref="Sites.FleetHealth"/>), never from a scan of the log.</summary>
public sealed class SiteFailureFacts : SaveChangesInterceptor
{
    public const int MaxMessageLength = 500;

    public static readonly SiteFailureFacts Instance = new();

    private SiteFailureFacts()
    {
    }

    /// <summary>A refused authentication of a known site: wrong password, other device, or blocked.</summary>
    public static bool IsAuthenticationFailure(string logEvent) =>
        logEvent is SiteLogEvents.AuthFailed or SiteLogEvents.HardwareIdMismatch or SiteLogEvents.Blocked;

    /// <summary>What counts as a site's "last error": an authentication refusal, or any error-level line.</summary>
    public static bool IsFailure(string level, string logEvent) => IsAuthenticationFailure(logEvent) || level == SiteLogLevels.Error;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is SiteSyncDbContext db)
        {
            foreach (var facts in Collect(db))
            {
                await db.Sites.Where(s => s.Id == facts.SiteId).ExecuteUpdateAsync(setters => Apply(setters, facts), cancellationToken);
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is SiteSyncDbContext db)
        {
            foreach (var facts in Collect(db))
            {
                db.Sites.Where(s => s.Id == facts.SiteId).ExecuteUpdate(setters => Apply(setters, facts));
            }
        }
        return result;
    }

    private sealed record Facts(int SiteId, SiteLogEntity Latest, int AuthFailures, DateTimeOffset? LastAuthFailureAt);

    private static List<Facts> Collect(SiteSyncDbContext db)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return [];
        }
        return [.. db.ChangeTracker.Entries<SiteLogEntity>()
            .Where(e => e.State == EntityState.Added && IsFailure(e.Entity.Level, e.Entity.Event))
            .Select(e => e.Entity)
            .GroupBy(l => l.SiteId)
            .Select(lines =>
            {
                var auth = lines.Where(l => IsAuthenticationFailure(l.Event)).ToList();
                return new Facts(lines.Key, lines.MaxBy(l => l.At)!, auth.Count, auth.Count == 0 ? null : auth.Max(l => l.At));
            })];
    }

    private static void Apply(UpdateSettersBuilder<Sites.SiteEntity> setters, Facts facts)
    {
        var message = facts.Latest.Message.Length > MaxMessageLength ? facts.Latest.Message[..MaxMessageLength] : facts.Latest.Message;
        setters
            .SetProperty(s => s.LastErrorAt, facts.Latest.At)
            .SetProperty(s => s.LastErrorEvent, facts.Latest.Event)
            .SetProperty(s => s.LastErrorMessage, message);
        if (facts.AuthFailures > 0)
        {
            var count = facts.AuthFailures;
            // One statement, so concurrent refusals never lose a count: the streak goes on while the previous refusal is newer
            // than the last successful authentication, and starts again otherwise.
            setters
                .SetProperty(s => s.AuthFailureStreak, s =>
                    s.LastAuthFailureAt != null && (s.LastConnectedAt == null || s.LastConnectedAt < s.LastAuthFailureAt)
                        ? s.AuthFailureStreak + count
                        : count)
                .SetProperty(s => s.LastAuthFailureAt, facts.LastAuthFailureAt);
        }
    }
}
