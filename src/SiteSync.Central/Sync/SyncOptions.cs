using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Sync;

/// <summary>Sync API settings (<c>SiteSync:Sync</c>), checked at start-up.</summary>
public sealed class SyncOptions : IValidatableObject
{
    public const string SectionName = "SiteSync:Sync";

    /// <summary>Consecutive wrong passwords before a site is blocked until an admin unblocks it (rule 17).</summary>
    [Range(1, 1000)]
    public int MaxFailedLogins { get; set; } = 10;

    /// <summary>Lowest accepted <c>version</c> header.</summary>
    [Range(1, 1000)]
    public int MinApiVersion { get; set; } = 7;

    /// <summary>Highest accepted <c>version</c> header (the current Open mSupply client sends 14).</summary>
    [Range(1, 1000)]
    public int MaxApiVersion { get; set; } = 14;

    /// <summary>Most records accepted in one pushed batch (the client sends at most 1,024 change-log rows).</summary>
    [Range(1, 100_000)]
    public int MaxPushBatchRecords { get; set; } = 5_000;

    /// <summary>Most records served in one pull, whatever <c>limit</c> asks.</summary>
    [Range(1, 100_000)]
    public int MaxPullLimit { get; set; } = 5_000;

    /// <summary>How long a refused sync credential waits before its 401 is sent. A guesser's workers each wait for their
    /// answer, so this caps how many refusals they can make central compute per second (8 workers: about 32 a second), and a
    /// misconfigured site loses a quarter of a second per cycle. Nothing is held while waiting: no lock, no thread.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan RefusalDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How far apart an idle site's cycles write to the database: "last synced" and "last connection" of a site
    /// that syncs with nothing to move are at most this old, and the count of its idle log line is brought up to date that
    /// often (<see cref="IdleCycles"/>). Zero writes every cycle. Cycles that move records or fail always write at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan IdleWriteInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The accepted range must hold at least one version: with Min above Max every site would be refused.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinApiVersion > MaxApiVersion)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(MinApiVersion)} ({MinApiVersion}) must not exceed {nameof(MaxApiVersion)} ({MaxApiVersion}).",
                [nameof(MinApiVersion), nameof(MaxApiVersion)]);
        }
    }
}
