namespace SiteSync.Central.Records;

/// <summary>One change to central's copy of a record. <see cref="Data"/> null means delete.</summary>
public sealed record RecordWrite(string TableName, string RecordId, string? Data, string? StoreId);
