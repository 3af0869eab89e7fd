namespace SiteSync.Central.Support;

/// <summary>A support contract, imported by support staff; one per site name.</summary>
public sealed class SupportContractEntity
{
    public int Id { get; set; }
    public string FunderName { get; set; } = "";
    public string FunderKey { get; set; } = "";
    public string SiteName { get; set; } = "";
    public string SiteKey { get; set; } = "";
    public string? LicenseCode { get; set; }
    public int? LicensedUsers { get; set; }
    public DateOnly? SupportStart { get; set; }
    public DateOnly? SupportEnd { get; set; }
}
