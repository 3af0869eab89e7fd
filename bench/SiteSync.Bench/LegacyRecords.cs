using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>Realistic legacy mSupply records (DESIGN §9): <c>item</c> (central data) and <c>transact</c> (store data) with
/// the fields, value shapes and 32-character hex ids of <c>/work/shared/fixtures/legacy-records.json</c>, each serialised to
/// <see cref="RecordBytes"/> bytes of compact JSON. The fixture's records are 485 (<c>item</c>) and 932 (<c>transact</c>)
/// bytes; the bench keeps their leading fields up to the target and pads the free-text field (<c>product_specifications</c>,
/// <c>comment</c>) to hit it exactly.</summary>
public sealed class LegacyRecords
{
    /// <summary>A facility name that is no store's: transactions to it are not transfers, so they go nowhere but central.</summary>
    public const string CustomerNameId = "1FB32324AF8049248D929CFB35F255BA";

    private const string Filler = "Keep below 25 C, protect from light and moisture. Check the batch and the expiry date on receipt. ";

    private readonly int _itemFields;
    private readonly int _transactFields;

    public LegacyRecords(int recordBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recordBytes, 100);
        RecordBytes = recordBytes;
        // The field count is chosen once, on the widest values, so every record of a table has the same fields.
        _itemFields = FieldsThatFit(n => ItemFields(int.MaxValue / 2, 99, n), "product_specifications");
        _transactFields = FieldsThatFit(n => TransactFields(int.MaxValue / 2, "STORE0000000000000000000000000000", 99, n), "comment");
    }

    public int RecordBytes { get; }

    public static string ItemId(int i) => Id(0x17E0, i);

    public static string TransactId(int i) => Id(0x7A5C, i);

    /// <summary>A 32-character upper-case hex id, like the legacy server's UUIDs, unique per table tag and index.</summary>
    public static string Id(int tag, long i) => string.Create(CultureInfo.InvariantCulture, $"{tag:X4}{i:X28}");

    /// <summary>The i-th <c>item</c>; a higher <paramref name="version"/> is a changed copy of the same record.</summary>
    public string Item(int i, int version = 0) => Padded(ItemFields(i, version, _itemFields), "product_specifications");

    /// <summary>The i-th <c>transact</c> of a store (a customer invoice to a facility that is not a store).</summary>
    public string Transact(int i, string storeId, int version = 0) => Padded(TransactFields(i, storeId, version, _transactFields), "comment");

    private static JsonObject ItemFields(int i, int version, int count)
    {
        var all = new List<KeyValuePair<string, JsonNode?>>
        {
            new("ID", ItemId(i)),
            new("item_name", string.Create(CultureInfo.InvariantCulture, $"Amoxicillin 250mg capsules {i}{(version > 0 ? $" v{version}" : "")}")),
            new("code", string.Create(CultureInfo.InvariantCulture, $"AMX{i}")),
            new("type_of", "general"),
            new("default_pack_size", 10),
            new("unit_ID", "A02C91EB6C77400BA783C4CD7C565F2A"),
            new("category_ID", ""),
            new("strength", "250mg"),
            new("is_vaccine", false),
            new("start_of_year_date", "0000-00-00"),
            new("outer_pack_size", 0),
            new("volume_per_pack", 0),
            new("weight", 0),
            new("VEN_category", ""),
            new("ddd factor", 0),
            new("is_sync", false),
            new("doses", 0),
            new("restricted_location_type_ID", ""),
            new("kit_data", null),
            new("custom_data", null),
            new("account_stock_ID", "52923505A91447B9923BA34A4F332014"),
        };
        return new JsonObject(all.Take(count));
    }

    private static JsonObject TransactFields(int i, string storeId, int version, int count)
    {
        var all = new List<KeyValuePair<string, JsonNode?>>
        {
            new("ID", TransactId(i)),
            new("type", "ci"),
            new("status", version > 0 ? "fn" : "cn"),
            new("mode", "store"),
            new("store_ID", storeId),
            new("name_ID", CustomerNameId),
            new("invoice_num", i + 1),
            new("user_ID", "0763E2E3053D4C478E1E6B6B03FEC207"),
            new("hold", false),
            new("their_ref", string.Create(CultureInfo.InvariantCulture, $"PO-{i % 10_000:D5}")),
            new("currency_ID", "NEW_ZEALAND_DOLLARS"),
            new("currency_rate", 1.32),
            new("entry_date", "2026-07-30"),
            new("entry_time", 47046),
            new("confirm_date", "2026-07-30"),
            new("confirm_time", 47046),
            new("finalised_date", "0000-00-00"),
            new("finalised_time", 0),
            new("linked_transaction_id", ""),
            new("requisition_ID", ""),
            new("goods_received_ID", ""),
            new("original_PO_ID", ""),
            new("ship_method_ID", ""),
            new("nameInsuranceJoinID", ""),
            new("insuranceDiscountAmount", 0),
            new("insuranceDiscountRate", 0),
            new("donor_default_id", ""),
            new("tax_rate", 0),
            new("is_cancellation", false),
            new("om_picked_datetime", null),
            new("om_shipped_datetime", ""),
            new("om_created_datetime", ""),
            new("om_transport_reference", ""),
        };
        return new JsonObject(all.Take(count));
    }

    private int FieldsThatFit(Func<int, JsonObject> fields, string padField)
    {
        // Minimum: the fields up to the owning store (the first 5 of transact, 5 of item); the pad field takes at least "":
        var count = 5;
        while (true)
        {
            var next = fields(count + 1);
            if (next.Count == count || Encoding.UTF8.GetByteCount(next.ToJsonString()) + PadOverhead(padField) > RecordBytes)
            {
                return count;
            }
            count++;
        }
    }

    private static int PadOverhead(string field) => field.Length + 6; // ,"field":""

    private string Padded(JsonObject record, string padField)
    {
        var size = Encoding.UTF8.GetByteCount(record.ToJsonString()) + PadOverhead(padField);
        var length = Math.Max(0, RecordBytes - size);
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append(Filler, 0, Math.Min(Filler.Length, length - text.Length));
        }
        record[padField] = text.ToString();
        return record.ToJsonString();
    }
}
