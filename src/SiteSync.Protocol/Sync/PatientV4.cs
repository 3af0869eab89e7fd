using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Sync;

/// <summary>The legacy v4 patient endpoints an Open mSupply remote calls on its sync URL with its site credentials (HTTP
/// Basic with the SHA-256 hex of the site password, and no other sync header): a central patient search, and linking a
/// patient to one of the site's stores (routing.md §3.4).</summary>
public static class PatientV4Routes
{
    /// <summary>Prefix of the v4 endpoints.</summary>
    public const string Prefix = "/api/v4";

    /// <summary><c>GET</c>: patients known to central, by <c>first_name</c>, <c>last_name</c> (<c>@</c> is the wildcard),
    /// <c>dob</c>, <c>code</c>, <c>is_deleted</c>, <c>limit</c>, <c>offset</c>.</summary>
    public const string Patient = Prefix + "/patient";

    /// <summary><c>POST</c> <see cref="NameStoreJoinRequestV4"/>: makes a patient visible in a store of the caller's site.</summary>
    public const string NameStoreJoin = Prefix + "/name_store_join";

    /// <summary><c>POST</c> <see cref="V6NameStoreJoinRequest"/>: the v6 twin the client calls right after the v4 link, on
    /// its Open mSupply central URL (reference §5.1); only HTTP 200 counts as success there.</summary>
    public const string V6NameStoreJoin = "/central/name-store-join";
}

/// <summary>The body of <c>POST /central/name-store-join</c>: the join the v4 call answered, with the site's credentials.</summary>
public sealed record V6NameStoreJoinRequest(string? Id, string? NameId, string? StoreId, SyncV5Settings? SyncV5Settings);

/// <summary>One patient of a v4 search answer. Every field is a string; <c>date_of_birth</c> is <c>YYYY-MM-DDTHH:MM:SS</c>,
/// <c>0000-00-00T00:00:00</c> when unknown.</summary>
public sealed record PatientV4(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("phone")] string Phone,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("last")] string Last,
    [property: JsonPropertyName("first")] string First,
    [property: JsonPropertyName("date_of_birth")] string DateOfBirth);

/// <summary>The body of <c>POST /api/v4/name_store_join</c>.</summary>
public sealed record NameStoreJoinRequestV4(
    [property: JsonPropertyName("name_ID")] string? NameId,
    [property: JsonPropertyName("store_ID")] string? StoreId);

/// <summary>The join central created or already held.</summary>
public sealed record NameStoreJoinV4(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("name_ID")] string NameId,
    [property: JsonPropertyName("store_ID")] string StoreId,
    [property: JsonPropertyName("inactive")] bool Inactive);
