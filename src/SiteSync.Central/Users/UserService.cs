using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Admin;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Users;

/// <summary>Central-server users: creation, permissions, and credential checks for HTTP Basic and the login form.</summary>
public sealed class UserService(SiteSyncDbContext db, CredentialCache credentials, SiteSyncMetrics metrics, TimeProvider time)
{
    public const int MinPasswordLength = 8;

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UsernameKey).ToListAsync(cancellationToken);
        return [.. users.Select(ToUser)];
    }

    public async Task<User?> GetAsync(string username, CancellationToken cancellationToken)
    {
        var user = await FindAsync(username, cancellationToken);
        return user is null ? null : ToUser(user);
    }

    public async Task<AdminResult<User>> CreateAsync(User request, CancellationToken cancellationToken)
    {
        var username = request.Username?.Trim() ?? "";
        if (username.Length is 0 or > 100 || username.Contains(':', StringComparison.Ordinal) || !StorableText.IsPrintable(username))
        {
            return AdminResult<User>.Invalid("username", "A username of 1 to 100 printable characters without ':' is required.");
        }
        if (request.Password is not { Length: >= MinPasswordLength })
        {
            return AdminResult<User>.Invalid("password", $"A password of at least {MinPasswordLength} characters is required.");
        }
        if (await FindAsync(username, cancellationToken) is not null)
        {
            return AdminResult<User>.Conflict(AdminErrorCodes.DuplicateUsername, $"A user named '{username}' already exists.");
        }
        if (ValidatePermissions(request.Permissions) is { } invalid)
        {
            return invalid;
        }

        var user = new UserEntity
        {
            Username = username,
            UsernameKey = username.ToLowerInvariant(),
            PasswordHash = PasswordHashing.HashUserPassword(request.Password),
            CanEditSyncSettings = request.Permissions?.Contains(Permissions.EditSyncSettings) == true,
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return AdminResult<User>.Ok(ToUser(user));
    }

    /// <summary>Changes a user's permissions (when given), password (a reset, when given) and disabled flag (when given); any of
    /// these ends the user's other sessions. Nobody disables themselves: an administrator cannot lock the last one out.</summary>
    public async Task<AdminResult<User>> UpdateAsync(string username, User request, string actingUser, CancellationToken cancellationToken)
    {
        var user = await FindAsync(username, cancellationToken, tracked: true);
        if (user is null)
        {
            return AdminResult<User>.NotFound($"No user named '{username}'.");
        }
        if (request.Password is { Length: < MinPasswordLength })
        {
            return AdminResult<User>.Invalid("password", $"A password of at least {MinPasswordLength} characters is required.");
        }
        if (ValidatePermissions(request.Permissions) is { } invalid)
        {
            return invalid;
        }
        if (request.IsDisabled == true && !user.IsDisabled && string.Equals(user.UsernameKey, actingUser.Trim().ToLowerInvariant(), StringComparison.Ordinal))
        {
            return AdminResult<User>.Conflict(AdminErrorCodes.CannotDisableSelf,
                $"You cannot disable your own user '{user.Username}': another administrator can.", "isDisabled");
        }
        if (request.Password is not null)
        {
            user.PasswordHash = PasswordHashing.HashUserPassword(request.Password);
        }
        if (request.Permissions is not null)
        {
            user.CanEditSyncSettings = request.Permissions.Contains(Permissions.EditSyncSettings);
        }
        if (request.IsDisabled is { } disabled)
        {
            user.IsDisabled = disabled;
        }
        user.CredentialVersion++;
        await db.SaveChangesAsync(cancellationToken);
        return AdminResult<User>.Ok(ToUser(user));
    }

    /// <summary>Checks a username and password; returns the principal's claims, or null. Cached for a short window.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string username, string password, string scheme, CancellationToken cancellationToken)
    {
        var user = await FindAsync(username, cancellationToken);
        if (user is null)
        {
            metrics.HashVerified("unknown");
            PasswordHashing.Verify(PasswordHashing.DummyHash, password);
            return null;
        }
        if (!credentials.IsVerified("user", user.Id, user.CredentialVersion, password))
        {
            metrics.HashVerified("user");
            if (!PasswordHashing.Verify(user.PasswordHash, password))
            {
                return null;
            }
            credentials.MarkVerified("user", user.Id, user.CredentialVersion, password);
        }
        // Checked after the hash, so a disabled user's answer costs and looks the same as a wrong password's.
        return user.IsDisabled ? null : ToPrincipal(user, scheme);
    }

    /// <summary>Whether a cookie's principal is still valid: the user exists and nothing changed since it logged in.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!int.TryParse(principal.FindFirstValue(Policies.UserIdClaim), CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(principal.FindFirstValue(Policies.CredentialVersionClaim), CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }
        return await db.Users.AnyAsync(u => u.Id == id && u.CredentialVersion == version && !u.IsDisabled, cancellationToken);
    }

    /// <summary>Creates the bootstrap <c>admin</c> user if no user exists yet.</summary>
    public async Task<bool> EnsureAdminAsync(string password, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return false;
        }
        db.Users.Add(new UserEntity
        {
            Username = "admin",
            UsernameKey = "admin",
            PasswordHash = PasswordHashing.HashUserPassword(password),
            CanEditSyncSettings = true,
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static AdminResult<User>? ValidatePermissions(IReadOnlyList<string>? permissions)
    {
        var unknown = permissions?.FirstOrDefault(p => p != Permissions.EditSyncSettings);
        return unknown is null ? null : AdminResult<User>.Invalid("permissions", $"Unknown permission '{unknown}'.");
    }

    private Task<UserEntity?> FindAsync(string username, CancellationToken cancellationToken, bool tracked = false)
    {
        var key = username.Trim().ToLowerInvariant();
        if (key.Length > 100 || !StorableText.IsPrintable(key))
        {
            return Task.FromResult<UserEntity?>(null); // No user can have this name (see CreateAsync): nothing to look up.
        }
        var users = tracked ? db.Users : db.Users.AsNoTracking();
        return users.FirstOrDefaultAsync(u => u.UsernameKey == key, cancellationToken);
    }

    private static ClaimsPrincipal ToPrincipal(UserEntity user, string scheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.Name, user.Username),
            new(Policies.UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(Policies.CredentialVersionClaim, user.CredentialVersion.ToString(CultureInfo.InvariantCulture)),
        ];
        if (user.CanEditSyncSettings)
        {
            claims.Add(new Claim(Policies.PermissionClaim, Permissions.EditSyncSettings));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    private static User ToUser(UserEntity user) =>
        new(user.Username, null, user.CanEditSyncSettings ? [Permissions.EditSyncSettings] : []) { IsDisabled = user.IsDisabled };
}
