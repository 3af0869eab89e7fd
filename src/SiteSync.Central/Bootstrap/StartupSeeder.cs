using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using SiteSync.Central.Users;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Bootstrap;

/// <summary>Settings for the first start (<c>SiteSync:Admin</c>).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "SiteSync:Admin";

    /// <summary>The bootstrap <c>admin</c> user's password; when unset a random one is generated and printed once. As long as
    /// any user's password must be (<see cref="UserService.MinPasswordLength"/>).</summary>
    [MinLength(UserService.MinPasswordLength)]
    public string? InitialPassword { get; set; }
}

/// <summary>Creates what a fresh datafile needs: site 1, the central server active on this datafile, and the <c>admin</c> user.</summary>
public sealed class StartupSeeder(SiteSyncDbContext db, UserService users, IOptions<AdminOptions> options, TimeProvider time,
    ILogger<StartupSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!await db.Sites.AnyAsync(s => s.IsActiveOnThisDatafile, cancellationToken))
        {
            var central = new SiteEntity
            {
                Code = "1",
                Name = "Central Server",
                NameKey = "central server",
                IsActiveOnThisDatafile = true,
                InitialisationStatus = InitialisationStatuses.Completed,
                CreatedAt = time.GetUtcNow(),
            };
            db.Sites.Add(central);
            await db.SaveChangesAsync(cancellationToken);
            if (central.Id != SiteService.CentralSiteId)
            {
                throw new InvalidOperationException($"The central site must be site 1 but got id {central.Id}: the datafile is not fresh.");
            }
        }

        var password = options.Value.InitialPassword;
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('/', 'x').Replace('+', 'y');
        }
        if (!await users.EnsureAdminAsync(password!, cancellationToken))
        {
            Log.AdminReady(logger);
        }
        else if (generated)
        {
            // Printed once, on the console only (never into a log sink): it is the only way to learn it.
            Console.WriteLine($"SiteSync: created user 'admin' with the generated password: {password}");
            Console.WriteLine("SiteSync: set SiteSync__Admin__InitialPassword before the first start to choose it instead.");
        }
        else
        {
            Log.AdminCreatedFromConfiguration(logger);
        }
    }
}
