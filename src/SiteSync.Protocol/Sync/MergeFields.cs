namespace SiteSync.Protocol.Sync;

/// <summary>The fields of a merge's data (<c>{"mergeIdToKeep":"A","mergeIdToDelete":"B"}</c>), on the wire and in the admin API.</summary>
public static class MergeFields
{
    /// <summary>The record that stays; every link to the merged record is re-pointed to it.</summary>
    public const string Keep = "mergeIdToKeep";

    /// <summary>The record merged away.</summary>
    public const string Delete = "mergeIdToDelete";
}
