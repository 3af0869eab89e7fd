using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using SiteSync.Central.Auth;
using SiteSync.Central.Logs;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Admin.Ui.Pages.Sites;

/// <summary>The site window (rules 4–19): General, Details and Log. Every button posts the whole pending edit back; only OK
/// (after the dry run has shown its warnings) and Save anyway write the edit, through the same service as the admin API.</summary>
public sealed partial class SiteWindow
{
    private const int LogPageSize = 100;
    private static readonly TimeSpan PendingPasswordLifetime = TimeSpan.FromMinutes(30);

    private bool _loaded;
    private Site? _site;
    private bool _notFound;
    private IReadOnlyList<StoreInfo> _allStores = [];
    private IReadOnlyDictionary<int, string> _siteNames = new Dictionary<int, string>();
    private SiteDetails? _details;
    private FleetLogPage _log = new(0, 0, LogPageSize, []);
    private int _logPage = 1;
    private string _logFrom = "";
    private string _logTo = "";
    private IReadOnlyList<string> _funderOptions = [];
    private List<SiteWarning> _warnings = [];
    private bool _pickerOpen;
    private string? _message;
    private bool _isError;
    private string? _invalidField;

    [Parameter]
    public int? Id { get; set; }

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "site")]
    private SiteForm Form { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "tab")]
    private string? TabQuery { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    private string? LogFrom { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    private string? LogTo { get; set; }

    [SupplyParameterFromQuery(Name = "level")]
    private string? LevelQuery { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    private string? LogSearch { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    private string? LogPageQuery { get; set; }

    private bool IsNew => Id is null;
    private bool IsCentral => _site?.IsActiveOnThisDatafile == true;
    private bool CanEdit => HttpContext.User.CanEditSyncSettings();
    private bool ReadOnly => !CanEdit;
    private string Title => _site is null ? (IsNew ? "New site" : "Site") : $"Site {_site.Id}: {_site.Name}";

    private string? LogLevel => LevelQuery is SiteLogLevels.Info or SiteLogLevels.Warning or SiteLogLevels.Error ? LevelQuery : null;

    private string CurrentTab
    {
        get
        {
            var tab = Form?.Tab ?? TabQuery;
            return tab is "details" || (tab is "log" && !IsNew) ? tab : "general";
        }
    }

    private IReadOnlyList<StoreRef> PendingRemovals =>
        _site is null ? [] : [.. _site.Stores.Where(s => !Form.StoreIds.Contains(s.Id))];

    private ITimeLimitedDataProtector PasswordProtector =>
        DataProtection.CreateProtector("SiteSync.Admin.Ui.PendingSitePassword", HttpContext.User.GetUsername() ?? "")
            .ToTimeLimitedDataProtector();

    protected override async Task OnInitializedAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (Id is { } id)
        {
            _site = await Sites.GetAsync(id, cancellationToken);
            if (_site is null)
            {
                _notFound = true;
                _loaded = true;
                UiProblems.Show(HttpContext, AdminProblems.NotFound($"No site with id {id}."));
                return;
            }
        }
        // A GET starts the edit from the stored site; a post carries the pending edit in the form.
        Form ??= _site is null
            ? new SiteForm { Type = SiteTypes.Standalone }
            : new SiteForm
            {
                Code = _site.Code,
                Name = _site.Name,
                Type = _site.Type,
                IsOmSupplyCentralServer = _site.IsOmSupplyCentralServer,
                OmSupplyCentralServerUrl = _site.OmSupplyCentralServerUrl,
                FunderName = _site.FunderName,
                StoreIds = [.. _site.Stores.Select(s => s.Id)],
            };
        // A post of a site without stores carries no StoreIds field, and the form binder then leaves the list null.
        Form.StoreIds ??= [];

        _allStores = await Stores.ListAsync(cancellationToken);
        _siteNames = await Sites.NamesAsync(cancellationToken);
        _details = Id is { } siteId ? await Support.DetailsAsync(siteId, cancellationToken) : null;
        _funderOptions = string.IsNullOrWhiteSpace(Form.FunderName) ? [] : await Support.SearchFundersAsync(Form.FunderName, 20, cancellationToken);
        await LoadLogAsync(cancellationToken);
        _loaded = true;
    }

    /// <summary>Rule 19: the site's log, a page at a time; the dates are whole days in the zone the times are shown in.</summary>
    private async Task LoadLogAsync(CancellationToken cancellationToken)
    {
        var today = Clock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _logFrom = string.IsNullOrWhiteSpace(LogFrom) ? today : LogFrom;
        _logTo = string.IsNullOrWhiteSpace(LogTo) ? today : LogTo;
        if (Id is not { } id)
        {
            return;
        }
        var filter = LogFilter.Parse(
            LogFrom, LogTo, LogLevel, null, id.ToString(CultureInfo.InvariantCulture), LogSearch, Clock.Zone, Clock.Now);
        if (!filter.IsOk)
        {
            // Shown on the page with the API's status; the rest of the window stays usable.
            Tell(UiProblems.Show(HttpContext, filter.Failure), isError: true);
            return;
        }
        _logPage = int.TryParse(LogPageQuery, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1;
        _log = await FleetLog.QueryAsync(filter.Value, (_logPage - 1) * LogPageSize, LogPageSize, cancellationToken);
    }

    private string LogHref(int page)
    {
        var query = new Dictionary<string, string?>
        {
            ["tab"] = "log",
            ["from"] = _logFrom,
            ["to"] = _logTo,
            ["level"] = LogLevel,
            ["q"] = string.IsNullOrWhiteSpace(LogSearch) ? null : LogSearch,
            ["page"] = page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/sites/{Id}", query.Where(p => p.Value is not null));
    }

    private async Task SubmitAsync()
    {
        if (_notFound)
        {
            return;
        }
        if (!CanEdit)
        {
            Fail(UiProblems.ReadOnly("changing a site"));
            return;
        }
        KeepTypedPassword();
        switch (Form.Command)
        {
            case SiteCommands.Ok:
                await SaveAsync(confirmed: false);
                break;
            case SiteCommands.SaveAnyway:
                await SaveAsync(confirmed: true);
                break;
            case SiteCommands.OpenPicker:
                _pickerOpen = true;
                break;
            case SiteCommands.AddStore:
                AddPickedStore();
                break;
            case SiteCommands.RemoveStore:
                RemoveSelectedStore();
                break;
            case SiteCommands.ForgetPassword:
                Form.PendingPassword = null;
                Tell("The new password was forgotten; the password stays as it was.");
                break;
            case SiteCommands.ResetHardwareId when Id is { } id:
                await ApplyNowAsync(Sites.ResetHardwareIdAsync(id, Username, HttpContext.RequestAborted),
                    site => $"Hardware ID of '{site.Name}' reset: the next device to sync claims the site.");
                break;
            case SiteCommands.Unblock when Id is { } id:
                await ApplyNowAsync(Sites.UnblockAsync(id, Username, HttpContext.RequestAborted), site => $"Site '{site.Name}' unblocked: it may sync again.");
                break;
            default:
                break;
        }
    }

    private string Username => HttpContext.User.GetUsername() ?? "";

    /// <summary>Rule 15: one call saves fields and stores together. Rules 6, 7, 14: the dry run's warnings come first, and only
    /// Save anyway goes past them.</summary>
    private async Task SaveAsync(bool confirmed)
    {
        var cancellationToken = HttpContext.RequestAborted;
        string? password = null;
        if (Form.PendingPassword is { } token)
        {
            try
            {
                password = PasswordProtector.Unprotect(token);
            }
            catch (CryptographicException)
            {
                Form.PendingPassword = null;
                Fail(AdminProblems.Invalid("password", "The new password was entered too long ago to be kept; type or paste it again."));
                return;
            }
        }
        var edit = new SiteEdit(Form.Code ?? "", Form.Name, password, Form.Type, [.. Form.StoreIds],
            Form.IsOmSupplyCentralServer, Form.OmSupplyCentralServerUrl ?? "", Form.FunderName ?? "");

        if (!confirmed)
        {
            var dryRun = Id is { } existing
                ? await Sites.UpdateAsync(existing, edit, Username, dryRun: true, cancellationToken)
                : await Sites.CreateAsync(edit, Username, dryRun: true, cancellationToken);
            if (!dryRun.IsOk)
            {
                Fail(dryRun.Failure);
                return;
            }
            if (dryRun.Value.Warnings is { Count: > 0 } warnings)
            {
                _warnings = [.. warnings];
                return;
            }
        }

        var saved = Id is { } id
            ? await Sites.UpdateAsync(id, edit, Username, dryRun: false, cancellationToken)
            : await Sites.CreateAsync(edit, Username, cancellationToken);
        if (!saved.IsOk)
        {
            Fail(saved.Failure);
            return;
        }
        Navigation.NavigateTo($"/?saved={saved.Value.Id}");
    }

    private void AddPickedStore()
    {
        var store = _allStores.FirstOrDefault(s => string.Equals(s.Id, Form.PickedStoreId, StringComparison.Ordinal));
        if (store is null)
        {
            _pickerOpen = true;
            Tell("Select a store in the list, then press Add selected store.", isError: true);
            return;
        }
        if (Form.Type == SiteTypes.Mobile && Form.StoreIds.Count > 0)
        {
            Tell("A mobile site can have only one store: remove its store first, or make the site standalone.", isError: true);
            return;
        }
        if (!Form.StoreIds.Contains(store.Id))
        {
            Form.StoreIds.Add(store.Id);
        }
        Tell($"Store '{store.Name}' added: it moves here from {SiteName(store.SiteId)} when you press OK.");
    }

    private void RemoveSelectedStore()
    {
        var storeId = Form.SelectedStoreId;
        if (storeId is null || !Form.StoreIds.Remove(storeId))
        {
            Tell("Select a store of this site, then press Remove store.", isError: true);
            return;
        }
        Tell($"Store '{StoreById(storeId)?.Name ?? storeId}' removed: it moves back to the central server when you press OK.");
    }

    /// <summary>Reset hardware ID and Unblock act at once, like their API calls; the rest of the edit stays pending.</summary>
    private async Task ApplyNowAsync(Task<AdminResult<Site>> action, Func<Site, string> done)
    {
        var result = await action;
        if (!result.IsOk)
        {
            Fail(result.Failure);
            return;
        }
        _site = result.Value;
        Tell(done(result.Value));
        await LoadLogAsync(HttpContext.RequestAborted);
    }

    /// <summary>A typed password never goes back to the browser: it travels on, between round trips, only in protected form.</summary>
    private void KeepTypedPassword()
    {
        if (!string.IsNullOrEmpty(Form.Password))
        {
            Form.PendingPassword = PasswordProtector.Protect(Form.Password, PendingPasswordLifetime);
        }
        Form.Password = null;
    }

    /// <summary>A refusal as the API reports it (<see cref="UiProblems"/>), marked on the field it is about.</summary>
    private void Fail(AdminFailure failure)
    {
        _invalidField = failure.Field;
        Tell(UiProblems.Show(HttpContext, failure), isError: true);
    }

    private void Tell(string message, bool isError = false) => (_message, _isError) = (message, isError);

    private string? Invalid(string field) => string.Equals(_invalidField, field, StringComparison.Ordinal) ? "true" : null;

    private StoreInfo? StoreById(string id) => _allStores.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));

    private bool IsOnSiteNow(string storeId) => _site?.Stores.Any(s => string.Equals(s.Id, storeId, StringComparison.Ordinal)) == true;

    private string SiteName(int? siteId) => siteId is { } id && _siteNames.TryGetValue(id, out var name)
        ? $"site {id} '{name}'"
        : "no site";

    /// <summary>The picker's stores: those not on the pending list, matching the picker's search (name, code, or the site they are on).</summary>
    private List<StoreInfo> PickerStores
    {
        get
        {
            var term = Form.StoreSearch?.Trim();
            return [.. _allStores.Where(s => !Form.StoreIds.Contains(s.Id) && (string.IsNullOrEmpty(term)
                || s.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
                || s.Code.Contains(term, StringComparison.OrdinalIgnoreCase)
                || SiteName(s.SiteId).Contains(term, StringComparison.OrdinalIgnoreCase)))];
        }
    }
}
