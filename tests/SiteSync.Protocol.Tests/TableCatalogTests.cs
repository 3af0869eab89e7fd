using SiteSync.Protocol.Catalog;

namespace SiteSync.Protocol.Tests;

public sealed class TableCatalogTests
{
    [Fact]
    public void EveryStoreAndCentralStoreTableNamesItsOwningStore() =>
        Assert.All(TableCatalog.Default.Tables.Where(t => t.Class is DataClass.Store or DataClass.CentralStore),
            t => Assert.True(t.StoreField is not null || (t.ParentTable is not null && t.ParentField is not null), t.Name));

    [Fact]
    public void ParentsIntegrateBeforeTheirLines() =>
        Assert.All(TableCatalog.Default.Tables.Where(t => t.ParentTable is not null),
            t => Assert.True(TableCatalog.Default[t.ParentTable!].Order < t.Order, $"{t.ParentTable} after {t.Name}"));

    [Theory]
    [InlineData("item", DataClass.Central)]
    [InlineData("store", DataClass.Central)]
    [InlineData("name_store_join", DataClass.CentralStore)]
    [InlineData("transact", DataClass.Store)]
    [InlineData("Stock_take_lines", DataClass.Store)]
    [InlineData("sensor", DataClass.Store)]
    [InlineData("stock_take_lines", DataClass.Unknown)]
    public void TablesHaveTheirDataClassByExactName(string table, DataClass expected) =>
        Assert.Equal(expected, TableCatalog.Default[table].Class);

    [Fact]
    public void OnlyItemNameAndClinicianMerge() =>
        Assert.Equal(["clinician", "item", "name"], TableCatalog.Default.Tables.Where(t => t.IsMergeable).Select(t => t.Name).Order());

    [Fact]
    public void UnknownTablesSortAfterEveryKnownTable() =>
        Assert.True(TableCatalog.Default["some_future_table"].Order > TableCatalog.Default.Tables.Max(t => t.Order));
}
