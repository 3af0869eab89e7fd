namespace SiteSync.Central.Sites;

/// <summary>A sync site as stored. Mapped to the wire type by <see cref="SiteMapping"/>.</summary>
public sealed class SiteEntity
{
    public int Id { get; set; }

    /// <summary>Stable opaque id sent as <c>SiteInfo.id</c>; the client refuses a change of it.</summary>
    public string Uid { get; set; } = Guid.NewGuid().ToString("N");

    public string Code { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Lower-case name, unique: names are unique case-insensitively on both engines.</summary>
    public string NameKey { get; set; } = "";

    /// <summary>PBKDF2 (PasswordHasher V3) of the lowercase SHA-256 hex the protocol sends; null for the central site.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Bumped whenever a verified credential must stop being trusted (password change, block, unblock, reset).</summary>
    public int CredentialVersion { get; set; }

    public string? HardwareId { get; set; }
    public string Type { get; set; } = "standalone";
    public string? AppName { get; set; }
    public string? AppVersion { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }
    public DateTimeOffset? LastConnectedAt { get; set; }
    public int FailedLoginCount { get; set; }
    public bool IsBlocked { get; set; }
    public bool IsActiveOnThisDatafile { get; set; }
    public bool IsOmSupplyCentralServer { get; set; }
    public string? OmSupplyCentralServerUrl { get; set; }
    public string InitialisationStatus { get; set; } = "new";

    /// <summary><c>idle</c> or <c>integration_in_progress</c>: survives a crash mid-integration.</summary>
    public string IntegrationStatus { get; set; } = "idle";

    public string? FunderName { get; set; }

    /// <summary>When the site's current sync cycle began (its <c>GET /site</c>); null once the cycle has been logged.</summary>
    public DateTimeOffset? CycleStartedAt { get; set; }

    /// <summary>Records the current cycle pushed (accepted), pulled from the change log, and pulled from the queue.</summary>
    public int CyclePushed { get; set; }
    public int CyclePulledCentral { get; set; }
    public int CyclePulledQueue { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The highest change-log cursor the site has pulled from: it has stored everything up to there. A later pull from
    /// a lower cursor means its database went back in time (reliability plan F25); reset to 0 when it initialises.</summary>
    public long CentralCursorReached { get; set; }

    /// <summary>The site's latest failure as its log recorded it (an authentication refusal or an error-level line), kept here
    /// by <see cref="Logs.SiteFailureFacts"/> so the fleet's health never needs a scan of the log.</summary>
    public DateTimeOffset? LastErrorAt { get; set; }
    public string? LastErrorEvent { get; set; }
    public string? LastErrorMessage { get; set; }

    /// <summary>Authentication refusals since the last successful authentication (<see cref="LastConnectedAt"/>): restarts at
    /// one when a refusal follows a success. Unlike <see cref="FailedLoginCount"/> it counts hardware-id mismatches and
    /// refusals of a blocked site too, and is never reset by an administrator.</summary>
    public int AuthFailureStreak { get; set; }
    public DateTimeOffset? LastAuthFailureAt { get; set; }

    public List<Stores.StoreEntity> Stores { get; set; } = [];

    /// <summary>A site "has synced" once a remote authenticated as it; edits then carry warnings (rules 6, 7, 14).</summary>
    public bool HasSynced => LastConnectedAt is not null;
}
