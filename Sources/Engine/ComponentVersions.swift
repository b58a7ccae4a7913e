import Outbound
import SQLite

/// The versions of what this binary is made of, for `ingest version` and bug reports.
package struct ComponentVersions: Sendable, Equatable {
    /// Ingest's own version (`ingest --version`, the webhooks' `User-Agent: Ingest/<version>`).
    package static let ingest = "0.1.0"
    /// The SQLite library linked at run time.
    package let sqlite: String
    /// The libcurl library linked at run time (downloads of `url` sources).
    package let libcurl: String
    /// The newest version of the bookkeeping schema (`ingest_migrations`) this binary migrates to.
    package let schema: Int

    /// Read from the libraries themselves, not from build-time headers.
    package static var current: ComponentVersions {
        ComponentVersions(sqlite: Connection.libraryVersion, libcurl: OutboundHTTPClient.libcurlVersion,
                          schema: Schema.migrator.migrations.last?.version ?? 0)
    }
}
