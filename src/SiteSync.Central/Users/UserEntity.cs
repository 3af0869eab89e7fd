namespace SiteSync.Central.Users;

/// <summary>A central-server user.</summary>
public sealed class UserEntity
{
    public int Id { get; set; }
    public string Username { get; set; } = "";

    /// <summary>Lower-case username, unique.</summary>
    public string UsernameKey { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public bool CanEditSyncSettings { get; set; }

    /// <summary>Bumped on password or permission change so cached verifications are dropped.</summary>
    public int CredentialVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A disabled user cannot log in, by form or HTTP Basic; disabling ends its sessions (the credential version moves).</summary>
    public bool IsDisabled { get; set; }
}
