using System.Data.Common;
using System.Globalization;
using System.Text;

namespace SiteSync.Central.Storage;

/// <summary>Inserts (or upserts) many rows with multi-row <c>INSERT … VALUES (…), (…), … [ON CONFLICT …]</c> statements in
/// the current transaction. On PostgreSQL one prepared statement carries <see cref="RowsPerStatement"/> rows in one round trip
/// (a per-row statement, even sent in batches, costs PostgreSQL a parse, a plan and an executor start per row: 50,000 pushed
/// records took 2.9 s to upsert that way, 0.75 s this way). On SQLite, which is in-process, the same statement holds one row and
/// is prepared once: Microsoft.Data.Sqlite binds each parameter by name and SQLite finds a name by a linear search, so a
/// statement of N parameters costs N² (measured: 500 rows per statement made the upsert of 50,000 records several times slower
/// than one prepared row at a time, 16 rows about twice as slow).</summary>
/// <remarks>
/// <para>The result is the same as running the statement once per row in the order the rows were added: rows that name the same
/// key (<c>keyColumns</c>) never share a statement (a repeated key flushes the rows before it first), so an <c>ON CONFLICT … DO
/// UPDATE</c> sees the earlier row as stored, as it would row by row, and PostgreSQL never meets one key twice in a command.</para>
/// <para>The full-size statement is one command reused (prepared on SQLite from its second use, its parameters bound by
/// position); only the last, shorter statement has a text of its own.</para>
/// </remarks>
public sealed class MultiRowWriter : IAsyncDisposable
{
    /// <summary>Rows per statement: 500 rows of 11 columns is 5,500 parameters, far below both engines' limits (SQLite 32,766,
    /// PostgreSQL 65,535).</summary>
    public const int RowsPerStatement = 500;

    private readonly SiteSyncDbContext _db;
    private readonly string _insert;
    private readonly string _conflict;
    private readonly int _columns;
    private readonly int[] _keyColumns;
    private readonly int _rowsPerStatement;
    private readonly string[]? _arrayTypes;
    private readonly List<object?[]> _rows = [];
    private readonly HashSet<(object?, object?)> _keys = [];
    private DbCommand? _full;

    /// <param name="db">The context whose connection and transaction the statements use.</param>
    /// <param name="insert"><c>INSERT INTO table (col, …)</c>, without <c>VALUES</c>.</param>
    /// <param name="conflict">What follows the values (<c>ON CONFLICT …</c>), or an empty string.</param>
    /// <param name="columns">Values per row, in the order of the insert's columns.</param>
    /// <param name="keyColumns">The one or two columns (indexes into a row) of the conflict key.</param>
    /// <param name="rowsPerStatement">Rows per statement; by default <see cref="RowsPerStatement"/> on PostgreSQL and 1 on SQLite (see
    /// the remarks), <see cref="RowsPerArrayStatement"/> with <paramref name="postgresTypes"/>.</param>
    /// <param name="postgresTypes">PostgreSQL only: each column's type (<c>text</c>, <c>bigint</c>, <c>integer</c>, <c>boolean</c>,
    /// <c>timestamptz</c>). Given, the rows travel as one array per column, <c>INSERT … SELECT * FROM unnest(@c0::text[], …)</c>:
    /// one statement text whatever the row count, prepared once, a dozen parameters instead of thousands to bind and a plan
    /// that does not grow with the rows.</param>
    public MultiRowWriter(SiteSyncDbContext db, string insert, string conflict, int columns, int[] keyColumns, int? rowsPerStatement = null,
        string[]? postgresTypes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerStatement ?? 1, 1);
        if (keyColumns.Length is < 1 or > 2 || keyColumns.Any(c => c < 0 || c >= columns))
        {
            throw new ArgumentException("One or two key columns, each one of the row's.", nameof(keyColumns));
        }
        _db = db;
        _insert = insert;
        _conflict = conflict;
        _columns = columns;
        _keyColumns = keyColumns;
        if (postgresTypes is not null && postgresTypes.Length != columns)
        {
            throw new ArgumentException("One type per column.", nameof(postgresTypes));
        }
        _arrayTypes = db.Provider == StorageProvider.Postgres ? postgresTypes : null;
        _rowsPerStatement = rowsPerStatement ?? (_arrayTypes is not null ? RowsPerArrayStatement : db.Provider == StorageProvider.Postgres ? RowsPerStatement : 1);
    }

    /// <summary>Rows per statement when the rows travel as arrays (PostgreSQL with column types): a pushed batch's worth.</summary>
    public const int RowsPerArrayStatement = 5_000;

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one row (values in the order of the insert's columns); it is written with its statement.</summary>
    public async Task AddAsync(CancellationToken cancellationToken, params object?[] values)
    {
        if (values.Length != _columns)
        {
            throw new ArgumentException($"A row has {_columns} values.", nameof(values));
        }
        var key = (values[_keyColumns[0]], _keyColumns.Length > 1 ? values[_keyColumns[1]] : null);
        if (!_keys.Add(key))
        {
            await FlushAsync(cancellationToken);
            _keys.Add(key);
        }
        _rows.Add(values);
        Count++;
        if (_rows.Count >= _rowsPerStatement)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes the rows still waiting.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_rows.Count == 0)
        {
            return;
        }
        await SqlCommands.EnsureOpenAsync(_db, cancellationToken);
        if (_arrayTypes is not null)
        {
            if (_full is null)
            {
                _full = CreateArrayCommand(_arrayTypes);
                await _full.PrepareAsync(cancellationToken);
            }
            BindArrays(_full, _arrayTypes);
            await _full.ExecuteNonQueryAsync(cancellationToken);
        }
        else if (_rows.Count == _rowsPerStatement)
        {
            if (_full is null)
            {
                _full = CreateCommand(_rowsPerStatement);
                if (_db.Provider == StorageProvider.Postgres)
                {
                    // Parsed and planned once per connection rather than once per statement.
                    await _full.PrepareAsync(cancellationToken);
                }
            }
            Bind(_full);
            await _full.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await using var command = CreateCommand(_rows.Count);
            Bind(command);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        _rows.Clear();
        _keys.Clear();
    }

    private DbCommand CreateCommand(int rows)
    {
        var sql = new StringBuilder(_insert.Length + _conflict.Length + rows * _columns * 8).Append(_insert).Append(" VALUES ");
        var command = SqlCommands.Create(_db, "");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < _columns; column++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{row * _columns + column}");
                sql.Append(column == 0 ? "" : ", ").Append(name);
                command.Add(name, null);
            }
            sql.Append(')');
        }
        command.CommandText = sql.Append(' ').Append(_conflict).ToString();
        return command;
    }

    private DbCommand CreateArrayCommand(string[] types)
    {
        var command = SqlCommands.Create(_db, "");
        var sql = new StringBuilder(_insert).Append(" SELECT * FROM unnest(");
        for (var column = 0; column < types.Length; column++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@c{column}");
            sql.Append(column == 0 ? "" : ", ").Append(name).Append("::").Append(types[column]).Append("[]");
            command.Add(name, null);
        }
        command.CommandText = sql.Append(") ").Append(_conflict).ToString();
        return command;
    }

    private void BindArrays(DbCommand command, string[] types)
    {
        for (var column = 0; column < types.Length; column++)
        {
            command.Parameters[column].Value = types[column] switch
            {
                "text" => Column(column, v => (string)v),
                "bigint" => Column<long?>(column, v => Convert.ToInt64(v, CultureInfo.InvariantCulture)),
                "integer" => Column<int?>(column, v => Convert.ToInt32(v, CultureInfo.InvariantCulture)),
                "boolean" => Column<bool?>(column, v => (bool)v),
                "timestamptz" => Column<DateTimeOffset?>(column, v => (DateTimeOffset)v),
                var other => throw new InvalidOperationException($"No array binding for the column type '{other}'."),
            };
        }
    }

    /// <summary>One column of the waiting rows as an array (nulls kept).</summary>
    private T?[] Column<T>(int column, Func<object, T> convert)
    {
        var values = new T?[_rows.Count];
        for (var row = 0; row < values.Length; row++)
        {
            values[row] = _rows[row][column] is { } value and not DBNull ? convert(value) : default;
        }
        return values;
    }

    private void Bind(DbCommand command)
    {
        var parameters = command.Parameters;
        for (var row = 0; row < _rows.Count; row++)
        {
            var values = _rows[row];
            for (var column = 0; column < _columns; column++)
            {
                parameters[row * _columns + column].Value = values[column] ?? DBNull.Value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync();
        }
    }
}
