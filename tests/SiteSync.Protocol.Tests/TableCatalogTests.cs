using SiteSync.Protocol.Catalog;

namespace SiteSync.Protocol.Tests;

public sealed class TableCatalogTests
{
    [Fact]
    public void EveryStoreAndCentralStoreTableNamesItsOwningStore() =>
        Assert.All(TableCatalog.Default.Tables.Where(t => t.Class is DataClass.Store or DataClass.CentralStore or DataClass.Transfer or DataClass.Visibility),
            t => Assert.True(t.StoreField is not null || (t.ParentTable is not null && t.ParentField is not null), t.Name));

    [Fact]
    public void ParentsIntegrateBeforeTheirLines() =>
        Assert.All(TableCatalog.Default.Tables.Where(t => t.ParentTable is not null),
            t => Assert.True(TableCatalog.Default[t.ParentTable!].Order < t.Order, $"{t.ParentTable} after {t.Name}"));

    [Theory]
    [InlineData("item", DataClass.Central)]
    [InlineData("store", DataClass.Central)]
    [InlineData("name_store_join", DataClass.Visibility)]
    [InlineData("clinician_store_join", DataClass.Visibility)]
    [InlineData("item_store_join", DataClass.CentralStore)]
    [InlineData("transact", DataClass.Transfer)]
    [InlineData("trans_line", DataClass.Transfer)]
    [InlineData("requisition_line", DataClass.Transfer)]
    [InlineData("item_line", DataClass.Store)]
    [InlineData("Goods_received_line", DataClass.Store)]
    [InlineData("nameInsuranceJoin", DataClass.Patient)]
    [InlineData("om_document", DataClass.Patient)]
    [InlineData("clinician", DataClass.Prescriber)]
    [InlineData("barcode", DataClass.SharedRemote)]
    [InlineData("message", DataClass.Message)]
    [InlineData("contact", DataClass.Central)]
    [InlineData("name", DataClass.Central)]
    [InlineData("Stock_take_lines", DataClass.Store)]
    [InlineData("sensor", DataClass.Store)]
    [InlineData("stock_take_lines", DataClass.Unknown)]
    public void TablesHaveTheirDataClassByExactName(string table, DataClass expected) =>
        Assert.Equal(expected, TableCatalog.Default[table].Class);

    [Theory]
    [InlineData("""{"ID":"p","type":"patient"}""", DataClass.Patient)]
    [InlineData("""{"ID":"f","type":"facility"}""", DataClass.Central)]
    [InlineData("""{"ID":"s","type":"store"}""", DataClass.Central)]
    [InlineData("""{"ID":"x"}""", DataClass.Central)]
    public void ANameRecordIsPatientDataOnlyWhenItsTypeIsPatient(string json, DataClass expected)
    {
        using var record = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(expected, TableCatalog.Default["name"].For(record.RootElement).Class);
    }

    [Fact]
    public void EveryVisibilityJoinNamesItsSubjectAndTheClassItMakesVisible() =>
        Assert.All(TableCatalog.Default.OfClass(DataClass.Visibility), t =>
        {
            Assert.NotNull(t.SubjectField);
            Assert.Contains(t.VisibilityOf, new DataClass?[] { DataClass.Patient, DataClass.Prescriber });
            Assert.NotEmpty(TableCatalog.Default.OfClass(t.VisibilityOf!.Value));
        });

    [Fact]
    public void EveryTransferHeaderNamesItsCounterpartyAndItsLinesFollowIt() =>
        Assert.All(TableCatalog.Default.OfClass(DataClass.Transfer), t =>
            Assert.True(t.IsLine ? TableCatalog.Default[t.ParentTable!].Class == DataClass.Transfer : t.CounterpartyField is not null, t.Name));

    [Fact]
    public void OnlyItemNameAndClinicianMerge() =>
        Assert.Equal(["clinician", "item", "name"], TableCatalog.Default.Tables.Where(t => t.IsMergeable).Select(t => t.Name).Order());

    [Fact]
    public void UnknownTablesSortAfterEveryKnownTable() =>
        Assert.True(TableCatalog.Default["some_future_table"].Order > TableCatalog.Default.Tables.Max(t => t.Order));
}
