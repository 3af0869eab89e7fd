using System.ComponentModel.DataAnnotations;

namespace SiteSync.Central.Hosting;

/// <summary>Server-wide settings (<c>SiteSync</c>).</summary>
public sealed class SiteSyncOptions
{
    public const string SectionName = "SiteSync";

    /// <summary>Where the SQLite database (and nothing else secret) lives; relative to the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The URL remotes reach this server at; sent as <c>omSupplyCentralServerUrl</c> when no site is the Open mSupply
    /// central server. Defaults to the address the request came in on.</summary>
    [Url]
    public string? PublicUrl { get; set; }
}
