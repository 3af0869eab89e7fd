using SiteSync.Central.Routing;

namespace SiteSync.Central.Records;

/// <summary>One routed change to central's copy of a record. <see cref="Data"/> null means delete.</summary>
public sealed record RecordWrite(string TableName, string RecordId, string? Data, RouteDecision Route)
{
    /// <summary>A change of central data authored on central: it goes to every site through the change log.</summary>
    public static RecordWrite CentralData(string tableName, string recordId, string? data) => new(tableName, recordId, data, RouteDecision.ChangeLog);
}
