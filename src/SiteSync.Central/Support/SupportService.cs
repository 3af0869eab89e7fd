using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Admin;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Support;

/// <summary>The support database (rule 18): contracts imported by support staff, looked up by funder or by site.</summary>
public sealed class SupportService(SiteSyncDbContext db)
{
    public const int MaxContractsPerImport = 50_000;

    /// <summary>Adds or replaces contracts (one per site name), all or nothing; names the site names that match no site.</summary>
    public async Task<AdminResult<ImportResult>> ImportAsync(IReadOnlyList<SupportContract> contracts, CancellationToken cancellationToken)
    {
        if (contracts.Count > MaxContractsPerImport)
        {
            return AdminResult<ImportResult>.Invalid("contracts", $"At most {MaxContractsPerImport} contracts per import.");
        }
        for (var i = 0; i < contracts.Count; i++)
        {
            var contract = contracts[i];
            if (string.IsNullOrWhiteSpace(contract.FunderName) || string.IsNullOrWhiteSpace(contract.SiteName))
            {
                return AdminResult<ImportResult>.Invalid($"contracts[{i}]", $"Contract {i + 1}: funderName and siteName are required.");
            }
            if (!StorableText.IsPrintable(contract.FunderName) || !StorableText.IsPrintable(contract.SiteName)
                || (contract.LicenseCode is { } licence && !StorableText.IsPrintable(licence)))
            {
                return AdminResult<ImportResult>.Invalid($"contracts[{i}]", $"Contract {i + 1}: names and codes cannot hold control characters, U+0000 or unpaired surrogates.");
            }
            if (contract.FunderName.Length > 200 || contract.SiteName.Length > 200 || contract.LicenseCode is { Length: > 200 })
            {
                return AdminResult<ImportResult>.Invalid($"contracts[{i}]", $"Contract {i + 1}: names and codes have at most 200 characters.");
            }
            if (contract.LicensedUsers is < 0)
            {
                return AdminResult<ImportResult>.Invalid($"contracts[{i}]", $"Contract {i + 1}: licensedUsers cannot be negative.");
            }
            if (contract is { SupportStart: { } start, SupportEnd: { } end } && end < start)
            {
                return AdminResult<ImportResult>.Invalid($"contracts[{i}]", $"Contract {i + 1}: supportEnd is before supportStart.");
            }
        }

        var latest = contracts.GroupBy(c => c.SiteName.Trim().ToLowerInvariant()).Select(g => g.Last()).ToList();
        var keys = latest.Select(c => c.SiteName.Trim().ToLowerInvariant()).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.SupportContracts.Where(c => keys.Contains(c.SiteKey)).ToDictionaryAsync(c => c.SiteKey, cancellationToken);
        foreach (var contract in latest)
        {
            var key = contract.SiteName.Trim().ToLowerInvariant();
            if (!existing.TryGetValue(key, out var entity))
            {
                entity = new SupportContractEntity { SiteKey = key };
                db.SupportContracts.Add(entity);
            }
            entity.SiteName = contract.SiteName.Trim();
            entity.FunderName = contract.FunderName.Trim();
            entity.FunderKey = entity.FunderName.ToLowerInvariant();
            entity.LicenseCode = contract.LicenseCode;
            entity.LicensedUsers = contract.LicensedUsers;
            entity.SupportStart = contract.SupportStart;
            entity.SupportEnd = contract.SupportEnd;
        }
        // Imported all the same (the site may be created later, or renamed to match), but said, with the names, so a typo in a
        // site name does not go unnoticed.
        var known = await db.Sites.AsNoTracking().Where(s => keys.Contains(s.NameKey)).Select(s => s.NameKey).ToListAsync(cancellationToken);
        List<string> unknown = [.. latest.Where(c => !known.Contains(c.SiteName.Trim().ToLowerInvariant())).Select(c => c.SiteName.Trim())
            .Order(StringComparer.OrdinalIgnoreCase)];
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult<ImportResult>.Ok(new ImportResult(latest.Count, unknown));
    }

    /// <summary>Funder names containing the text (search-as-you-type), distinct, alphabetical.</summary>
    public async Task<IReadOnlyList<string>> SearchFundersAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        var term = search?.Trim().ToLowerInvariant() ?? "";
        var funders = await db.SupportContracts.AsNoTracking()
            .Where(c => term.Length == 0 || c.FunderKey.Contains(term))
            .Select(c => c.FunderName).Distinct().OrderBy(f => f).Take(limit).ToListAsync(cancellationToken);
        return funders;
    }

    /// <summary>The Details tab: the contract of the site's name (preferring one of the site's funder).</summary>
    public async Task<SiteDetails?> DetailsAsync(int siteId, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => new { s.NameKey, s.FunderName })
            .FirstOrDefaultAsync(cancellationToken);
        if (site is null)
        {
            return null;
        }
        var contract = await db.SupportContracts.AsNoTracking().FirstOrDefaultAsync(c => c.SiteKey == site.NameKey, cancellationToken);
        if (contract is not null && site.FunderName is not null
            && !string.Equals(contract.FunderName, site.FunderName, StringComparison.OrdinalIgnoreCase))
        {
            // The site is funded by someone else than the contract on file says: show the funder, not a stranger's licence.
            return new SiteDetails(site.FunderName, null, null, null, null);
        }
        return new SiteDetails(site.FunderName ?? contract?.FunderName, contract?.LicenseCode, contract?.LicensedUsers,
            contract?.SupportStart, contract?.SupportEnd);
    }

    /// <summary>Parses the CSV import form: a header row naming the columns
    /// <c>funderName, siteName, licenseCode, licensedUsers, supportStart, supportEnd</c> (any order), RFC 4180 quoting.</summary>
    public static AdminResult<IReadOnlyList<SupportContract>> ParseCsv(string text)
    {
        var rows = Csv.Parse(text);
        if (rows.Count == 0)
        {
            return AdminResult<IReadOnlyList<SupportContract>>.Invalid("csv", "The CSV is empty.");
        }
        var header = rows[0].Select(h => h.Trim()).ToList();
        int Column(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var funder = Column("funderName");
        var site = Column("siteName");
        if (funder < 0 || site < 0)
        {
            return AdminResult<IReadOnlyList<SupportContract>>.Invalid("csv", "The CSV header must name at least funderName and siteName.");
        }
        var (license, users, start, end) = (Column("licenseCode"), Column("licensedUsers"), Column("supportStart"), Column("supportEnd"));
        List<SupportContract> contracts = [];
        for (var line = 1; line < rows.Count; line++)
        {
            var row = rows[line];
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            string? Cell(int index) => index >= 0 && index < row.Count && !string.IsNullOrWhiteSpace(row[index]) ? row[index].Trim() : null;
            int? licensedUsers = null;
            if (Cell(users) is { } usersText)
            {
                if (!int.TryParse(usersText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return AdminResult<IReadOnlyList<SupportContract>>.Invalid("csv", $"Line {line + 1}: licensedUsers '{usersText}' is not a whole number.");
                }
                licensedUsers = parsed;
            }
            if (!TryDate(Cell(start), out var startDate) || !TryDate(Cell(end), out var endDate))
            {
                return AdminResult<IReadOnlyList<SupportContract>>.Invalid("csv", $"Line {line + 1}: dates must be written yyyy-MM-dd.");
            }
            contracts.Add(new SupportContract(Cell(funder) ?? "", Cell(site) ?? "", Cell(license), licensedUsers, startDate, endDate));
        }
        return AdminResult<IReadOnlyList<SupportContract>>.Ok(contracts);
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (text is null)
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }
        return false;
    }
}
