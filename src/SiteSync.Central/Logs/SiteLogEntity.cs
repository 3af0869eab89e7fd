namespace SiteSync.Central.Logs;

/// <summary>One line of a site's log (rule 19).</summary>
public sealed class SiteLogEntity
{
    public long Id { get; set; }
    public int SiteId { get; set; }
    public DateTimeOffset At { get; set; }
    public string Level { get; set; } = "info";
    public string Event { get; set; } = "";
    public string Message { get; set; } = "";
    public string? User { get; set; }

    /// <summary>On a <c>sync_completed</c> line that sums up idle cycles (nothing moved, nothing else logged): how many cycles it
    /// stands for, the first at <see cref="At"/>. Null on every other line.</summary>
    public int? IdleCycles { get; set; }
}
