namespace SiteSync.Remote;

/// <summary>The site itself refused the operation (rules 22 and 24): nothing was changed.</summary>
public class RemoteRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">A stable code, one of <see cref="RefusalCodes"/>.</param>
    /// <param name="message">What was refused and why, for people.</param>
    public RemoteRefusedException(string code, string message)
        : base(message) => Code = code;

    /// <summary>A stable code, one of <see cref="RefusalCodes"/>.</summary>
    public string Code { get; }
}

/// <summary>Codes of <see cref="RemoteRefusedException"/>.</summary>
public static class RefusalCodes
{
    /// <summary>The table holds central data, read-only on a remote site.</summary>
    public const string CentralData = "central_data_read_only";

    /// <summary>The record belongs to a store that is not active on this site.</summary>
    public const string StoreNotActive = "store_not_active_on_site";

    /// <summary>The table is not in the catalog.</summary>
    public const string UnknownTable = "unknown_table";

    /// <summary>The record is not a JSON object with a string <c>ID</c>, or its store cannot be determined.</summary>
    public const string InvalidRecord = "invalid_record";

    /// <summary>The setting needs the authorisation code, and none or a wrong one was given.</summary>
    public const string AuthorisationRequired = "authorisation_code_required";

    /// <summary>The setting key or value is not accepted.</summary>
    public const string InvalidSetting = "invalid_setting";

    /// <summary>The data directory is already set up.</summary>
    public const string AlreadySetUp = "already_set_up";

    /// <summary>The data directory is not set up yet.</summary>
    public const string NotSetUp = "not_set_up";

    /// <summary>Central reports a different site identity than the one this data directory synced with.</summary>
    public const string SiteIdentityChanged = "site_uuid_is_being_changed";
}
