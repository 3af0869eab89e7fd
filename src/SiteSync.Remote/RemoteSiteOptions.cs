using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SiteSync.Remote;

/// <summary>How a remote site runs: where its data lives and the timing of its cycle.</summary>
public sealed class RemoteSiteOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "SiteSyncRemote";

    /// <summary>The directory holding the site's SQLite database.</summary>
    [Required]
    public string DataDirectory { get; set; } = "sitesync-remote";

    /// <summary>A hardware id that overrides both the one stored at init and the machine id (the <c>sitesync</c> command fills it
    /// from <c>SITESYNC_HARDWARE_ID</c>); null for none.</summary>
    public string? HardwareId { get; set; }

    /// <summary>The longest any one request to central may take, its whole answer read; a sized request that times out is
    /// retried at a smaller request size.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts per request, each at a smaller request size, before the cycle fails.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest wait between two <c>site_status</c> polls after a push (the real client polls every 1 s): the first
    /// poll is at once, the waits grow from an eighth of this.</summary>
    public TimeSpan IntegrationPollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long central may integrate a push (the real client: 30 s).</summary>
    public TimeSpan IntegrationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two <c>site_status</c> polls while central initialises the site (the real client polls
    /// every 15 s): the first poll is at once, the waits grow from an eighth of this.</summary>
    public TimeSpan InitialisationPollPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long central may take to initialise the site (the real client: 30 min).</summary>
    public TimeSpan InitialisationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often <see cref="RemoteSite.RunAsync"/> re-reads the interval while waiting or paused.</summary>
    public TimeSpan SettingsRecheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The <c>app-version</c> header: this library's version.</summary>
    public string AppVersion { get; set; } = DefaultAppVersion();

    /// <summary>Checks the options: their data annotations, and every period and timeout longer than zero.</summary>
    /// <returns>One message per invalid option; empty when all are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
        foreach (var (name, value) in new[]
        {
            (nameof(RequestTimeout), RequestTimeout),
            (nameof(IntegrationPollPeriod), IntegrationPollPeriod),
            (nameof(IntegrationTimeout), IntegrationTimeout),
            (nameof(InitialisationPollPeriod), InitialisationPollPeriod),
            (nameof(InitialisationTimeout), InitialisationTimeout),
            (nameof(SettingsRecheckPeriod), SettingsRecheckPeriod),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{name} must be longer than zero (it is {value}).");
            }
        }

        return errors;
    }

    private static string DefaultAppVersion()
    {
        var version = typeof(RemoteSiteOptions).Assembly.GetName().Version ?? new Version(0, 0, 0);
        return $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";
    }
}

/// <summary>Validates <see cref="RemoteSiteOptions"/> when a host resolves them (at start-up with <c>ValidateOnStart</c>).</summary>
internal sealed class RemoteSiteOptionsValidator : IValidateOptions<RemoteSiteOptions>
{
    public ValidateOptionsResult Validate(string? name, RemoteSiteOptions options) =>
        options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
