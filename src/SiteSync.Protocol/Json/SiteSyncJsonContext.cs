using System.Text.Json;
using System.Text.Json.Serialization;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Json;

/// <summary>Source-generated serialisation for every wire type: camelCase, compact, nulls written (the client expects them).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    AllowDuplicateProperties = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(SyncErrorResponse))]
[JsonSerializable(typeof(ApiVersionRange))]
[JsonSerializable(typeof(SiteInfo))]
[JsonSerializable(typeof(SiteStatus))]
[JsonSerializable(typeof(RemoteSyncBatch))]
[JsonSerializable(typeof(RemoteSyncRecord))]
[JsonSerializable(typeof(CentralSyncBatch))]
[JsonSerializable(typeof(PushResponse))]
[JsonSerializable(typeof(AcknowledgedRecords))]
[JsonSerializable(typeof(V6PullRequest))]
[JsonSerializable(typeof(V6PushRequest))]
[JsonSerializable(typeof(V6SiteStatusRequest))]
[JsonSerializable(typeof(V6Response<V6SyncBatch>))]
[JsonSerializable(typeof(V6Response<V6PushResult>))]
[JsonSerializable(typeof(V6Response<V6SiteStatusResult>))]
[JsonSerializable(typeof(V6ErrorResponse))]
[JsonSerializable(typeof(Site))]
[JsonSerializable(typeof(SiteList))]
[JsonSerializable(typeof(SiteEdit))]
[JsonSerializable(typeof(LogEntry[]))]
[JsonSerializable(typeof(StoreInfo))]
[JsonSerializable(typeof(StoreInfo[]))]
[JsonSerializable(typeof(CreateStoreRequest))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(User[]))]
[JsonSerializable(typeof(SupportContract[]))]
[JsonSerializable(typeof(SiteDetails))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(FleetLogPage))]
[JsonSerializable(typeof(CentralRecord))]
[JsonSerializable(typeof(RecordsResult))]
[JsonSerializable(typeof(Dictionary<string, RawJson[]>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IntegrityRequest))]
[JsonSerializable(typeof(IntegrityResponse))]
[JsonSerializable(typeof(IntegrityRecordsRequest))]
[JsonSerializable(typeof(IntegrityRecordsResponse))]
[JsonSerializable(typeof(IntegrityReport))]
[JsonSerializable(typeof(IntegrityGroupResult[]))]
[JsonSerializable(typeof(IntegrityDifference[]))]
[JsonSerializable(typeof(SiteIntegrity))]
[JsonSerializable(typeof(PatientV4[]))]
[JsonSerializable(typeof(NameStoreJoinRequestV4))]
[JsonSerializable(typeof(NameStoreJoinV4))]
[JsonSerializable(typeof(V6NameStoreJoinRequest))]
public sealed partial class SiteSyncJsonContext : JsonSerializerContext;
