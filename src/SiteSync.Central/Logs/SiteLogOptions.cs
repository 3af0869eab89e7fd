using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Logs;

/// <summary>Site-log settings (<c>SiteSync:Logs</c>).</summary>
public sealed class SiteLogOptions
{
    public const string SectionName = "SiteSync:Logs";

    /// <summary>Lines older than this many days are deleted (checked at start and every hour).</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Lines deleted per statement while pruning: small, so the log's writers never wait long.</summary>
    [Range(1, 100_000)]
    public int PruneBatchSize { get; set; } = 1_000;
}
