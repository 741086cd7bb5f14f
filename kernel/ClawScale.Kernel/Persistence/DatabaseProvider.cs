namespace ClawScale.Kernel.Persistence;

/// <summary>The database engine the kernel stores its state in.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded SQLite file in the data directory (the default).</summary>
    Sqlite = 1,

    /// <summary>PostgreSQL, when <c>ClawScale:Database:ConnectionString</c> is set.</summary>
    Postgres = 2,
}
