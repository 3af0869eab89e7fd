using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Auth;

/// <summary>Attempts per minute allowed on the login form and on the admin API's HTTP Basic authentication
/// (<c>SiteSync:RateLimits</c>), per client address and per user name; 0 turns a limit off. Every attempt counts, right or
/// wrong. The sync API is not limited here: sites have their own lockout (rule 17).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "SiteSync:RateLimits";

    [Range(0, 1_000_000)]
    public int LoginPerAddressPerMinute { get; set; } = 10;

    [Range(0, 1_000_000)]
    public int LoginPerUserPerMinute { get; set; } = 5;

    [Range(0, 1_000_000)]
    public int BasicPerAddressPerMinute { get; set; } = 600;

    [Range(0, 1_000_000)]
    public int BasicPerUserPerMinute { get; set; } = 600;
}
