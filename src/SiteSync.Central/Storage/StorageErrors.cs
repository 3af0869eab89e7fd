using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SiteSync.Central.Storage;

/// <summary>What a database error says about its cause, on both engines: the one place that tells a record the database
/// refuses (reject that record) from a database that is full or busy (keep everything, answer "retry later").</summary>
public enum StorageErrorKind
{
    /// <summary>Not a database error, or one of no known kind (a bug, a lost connection): handled as a server fault.</summary>
    Other,

    /// <summary>The statement's data is refused: a constraint, a value too long or of the wrong type, text the engine cannot
    /// encode. Another record would have gone through.</summary>
    RefusedData,

    /// <summary>No room left: SQLITE_FULL, PostgreSQL disk_full (53100).</summary>
    Full,

    /// <summary>Busy beyond the timeouts, or not accepting connections for a moment: SQLITE_BUSY and SQLITE_LOCKED,
    /// PostgreSQL too_many_connections (53300) and cannot_connect_now (57P03).</summary>
    Busy,
}

public static class StorageErrors
{
    /// <summary>The kind of the first database error in the exception's chain.</summary>
    public static StorageErrorKind Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // SQLITE_FULL; SQLITE_BUSY, SQLITE_LOCKED; SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH.
                case SqliteException { SqliteErrorCode: 13 }:
                    return StorageErrorKind.Full;
                case SqliteException { SqliteErrorCode: 5 or 6 }:
                    return StorageErrorKind.Busy;
                case SqliteException { SqliteErrorCode: 18 or 19 or 20 }:
                    return StorageErrorKind.RefusedData;
                case PostgresException { SqlState: "53100" }:
                    return StorageErrorKind.Full;
                case PostgresException { SqlState: "53300" or "57P03" }:
                    return StorageErrorKind.Busy;
                // Class 22 data exceptions (22021 bad encoding, 22001 too long, 22P05 untranslatable), class 23 integrity
                // constraints, 54000 program limit (a value too large to index).
                case PostgresException postgres when postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("23", StringComparison.Ordinal) || postgres.SqlState == "54000":
                    return StorageErrorKind.RefusedData;
                case System.Text.EncoderFallbackException:
                    return StorageErrorKind.RefusedData;
                case DbException:
                    return StorageErrorKind.Other;
            }
        }
        return StorageErrorKind.Other;
    }
}
