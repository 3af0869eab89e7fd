namespace SiteSync.Central.Admin.Ui.Pages.Sites;

/// <summary>The site window's form: the whole pending edit (rule 15) travels in it between round trips — fields, the store
/// list as hidden inputs, and a typed password protected with data protection so it never goes back to the browser in clear.
/// Nothing is saved before OK.</summary>
public sealed class SiteForm
{
    /// <summary>Which button was pressed; see <see cref="SiteCommands"/>.</summary>
    public string? Command { get; set; }

    /// <summary>The tab to show after the round trip.</summary>
    public string? Tab { get; set; }

    public string? Code { get; set; }
    public string? Name { get; set; }

    /// <summary>A password typed in this round trip; moved into <see cref="PendingPassword"/> at once.</summary>
    public string? Password { get; set; }

    /// <summary>The typed password, data-protected and time-limited, until OK saves it.</summary>
    public string? PendingPassword { get; set; }

    public string? Type { get; set; }
    public bool IsOmSupplyCentralServer { get; set; }
    public string? OmSupplyCentralServerUrl { get; set; }
    public string? FunderName { get; set; }

    /// <summary>The complete pending store list of the site.</summary>
    public IList<string> StoreIds { get; set; } = [];

    /// <summary>The store highlighted in the site's store list (for Remove store).</summary>
    public string? SelectedStoreId { get; set; }

    /// <summary>The store highlighted in the Add store picker.</summary>
    public string? PickedStoreId { get; set; }

    /// <summary>What the picker's store list is narrowed to.</summary>
    public string? StoreSearch { get; set; }
}

/// <summary>The buttons of the site window.</summary>
public static class SiteCommands
{
    public const string Ok = "ok";
    public const string SaveAnyway = "save-anyway";
    public const string Back = "back";
    public const string OpenPicker = "open-picker";
    public const string ClosePicker = "close-picker";
    public const string AddStore = "add-store";
    public const string RemoveStore = "remove-store";
    public const string ForgetPassword = "forget-password";
    public const string ResetHardwareId = "reset-hardware-id";
    public const string Unblock = "unblock";
}
