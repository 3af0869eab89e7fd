namespace SiteSync.Testing;

/// <summary>The storage engines every storage-touching test runs on.</summary>
public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>Theory data: one row per engine.</summary>
public sealed class BothEngines : TheoryData<Engine>
{
    public BothEngines()
    {
        Add(Engine.Sqlite);
        Add(Engine.Postgres);
    }
}
