import SQLite
import Postgres

/// Where Ingest's database is: a SQLite file (the default, `ingest.sqlite`) or a PostgreSQL
/// server named by a `postgres://` / `postgresql://` URL (`--database`, `INGEST_DATABASE`).
///
/// ``description`` is the form to print or log: a SQLite path as given; a PostgreSQL URL
/// without its password (the password belongs to libpq's `PGPASSWORD`, `~/.pgpass` or
/// `PGPASSFILE`; one written in the URL still connects but is never shown).
package enum DatabaseLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// A `postgres://` or `postgresql://` URL names PostgreSQL; anything else is a SQLite path.
    package init(_ text: String) {
        self = PostgresLocation.isPostgresURL(text) ? .postgres(PostgresLocation(text)) : .sqlite(path: text)
    }

    /// The display form: never a password.
    package var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.redacted
        }
    }

    /// The SQLite file, or nil for PostgreSQL.
    package var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// The path that files this process keeps beside the database are named after (the run
    /// locks `<path>-runs/`, the cancel signals `<path>-cancel/`, the default uploads folder
    /// `<path>-uploads/`): the SQLite file, or `ingest-postgres` in the working directory for
    /// PostgreSQL (those files are this node's own).
    package var localPath: String { sqlitePath ?? "ingest-postgres" }

    /// Opens a connection: SQLite with `busyTimeout` (milliseconds), PostgreSQL with a 10 s connect timeout.
    package func connect(busyTimeout: Int32 = 10_000) throws(DatabaseError) -> any SQLDatabase {
        switch self {
        case .sqlite(let path): return try Connection(path: path, busyTimeout: busyTimeout)
        case .postgres(let location): return try PGConnection(location.connectionString)
        }
    }
}
