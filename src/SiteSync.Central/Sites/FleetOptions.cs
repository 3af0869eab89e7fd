using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Sites;

/// <summary>How the fleet's health is judged (<c>SiteSync:Fleet</c>).</summary>
public sealed class FleetOptions
{
    public const string SectionName = "SiteSync:Fleet";

    /// <summary>A site with no successful sync for longer than this is stale (as <c>d.hh:mm:ss</c>, e.g. <c>1.00:00:00</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>This many authentication refusals in a row (since the last success) make a site failing.</summary>
    [Range(1, 1000)]
    public int FailingAfterAuthFailures { get; set; } = 3;

    /// <summary>A sync cycle begun this long ago that has not finished counts as a failed cycle.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan CycleTimeout { get; set; } = TimeSpan.FromHours(1);
}
