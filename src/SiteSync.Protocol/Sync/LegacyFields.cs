namespace SiteSync.Protocol.Sync;

/// <summary>Field names inside legacy records that both central and the remote read or write.</summary>
public static class LegacyFields
{
    /// <summary>Every record's id.</summary>
    public const string Id = "ID";

    /// <summary>A <c>name</c> record's link from a <c>store</c> record: the store's name.</summary>
    public const string NameId = "name_ID";

    /// <summary>A <c>store</c> record's site: the stores whose value is a site's id are active on that site.</summary>
    public const string SyncIdRemoteSite = "sync_id_remote_site";
}
