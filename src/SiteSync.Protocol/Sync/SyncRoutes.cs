namespace SiteSync.Protocol.Sync;

/// <summary>Absolute paths of the sync endpoints (reference §2 and §5).</summary>
public static class SyncRoutes
{
    /// <summary>Prefix of every v5 endpoint.</summary>
    public const string V5Prefix = "/sync/v5";

    /// <summary><c>GET</c>: site info, called first in every sync.</summary>
    public const string Site = V5Prefix + "/site";

    /// <summary><c>GET</c>: whether central is integrating or initialising for the site.</summary>
    public const string SiteStatus = V5Prefix + "/site_status";

    /// <summary><c>POST</c>: (re)fill the site's queue.</summary>
    public const string Initialise = V5Prefix + "/initialise";

    /// <summary><c>GET</c> pulls the site's queue; <c>POST</c> pushes the site's changes.</summary>
    public const string QueuedRecords = V5Prefix + "/queued_records";

    /// <summary><c>POST</c>: acknowledge queue records the site has stored.</summary>
    public const string AcknowledgedRecords = V5Prefix + "/acknowledged_records";

    /// <summary><c>GET</c>: the central change log by cursor.</summary>
    public const string CentralRecords = V5Prefix + "/central_records";

    /// <summary>The optional query parameter of <see cref="CentralRecords"/> by which SiteSync's own remote, asking for the next
    /// page while it still stores the current one, says the cursor it has stored (SiteSync only; the Open mSupply client
    /// never sends it): central notes that position as reached, not the one asked from, so a site stopped mid-store and asking
    /// again from its stored cursor is not taken for a restored database.</summary>
    public const string CentralRecordsStored = "stored";

    /// <summary><c>POST</c>: compare the site's record digests with central's (SiteSync only, not part of mSupply v5).</summary>
    public const string Integrity = V5Prefix + "/integrity";

    /// <summary><c>POST</c>: one page of central's record hashes of one group (SiteSync only).</summary>
    public const string IntegrityRecords = V5Prefix + "/integrity/records";

    /// <summary><c>POST</c>: the site reports the records that differ (SiteSync only).</summary>
    public const string IntegrityReport = V5Prefix + "/integrity/report";

    /// <summary>Prefix of the v6 (Open mSupply central) endpoints.</summary>
    public const string V6Prefix = "/central/sync";

    /// <summary><c>POST</c>: v6 pull.</summary>
    public const string V6Pull = V6Prefix + "/pull";

    /// <summary><c>POST</c>: v6 push.</summary>
    public const string V6Push = V6Prefix + "/push";

    /// <summary><c>POST</c>: v6 site status.</summary>
    public const string V6SiteStatus = V6Prefix + "/site_status";
}
