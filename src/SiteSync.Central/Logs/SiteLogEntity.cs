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
}
