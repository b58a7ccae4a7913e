/// Where rows come from and how the file is read.
package struct SourceSpec: Sendable, Equatable {
    /// How a run gets its file: uploaded, read from the data root, or downloaded (over http(s),
    /// FTP, FTP with explicit TLS, or SFTP).
    package enum SourceType: String, Sendable, Equatable, CaseIterable {
        case upload, filesystem, url, ftp, ftps, sftp

        /// `ftp`, `ftps` and `sftp`: a file fetched from a server named by `host`, `port` and `path`.
        package var isRemoteFile: Bool { self == .ftp || self == .ftps || self == .sftp }
    }

    /// Default `upload`.
    package var type: SourceType
    /// Allowed formats; empty means every format.
    package var formats: [FileFormat]
    /// Upload size cap in MiB; nil means the server default.
    package var maxSizeMB: Int?
    /// `filesystem`: path relative to the data root. `ftp`, `ftps`, `sftp`: the file's path on the
    /// server (absolute with a leading `/`, otherwise relative to the login directory).
    package var path: String?
    /// `url`: http(s) address.
    package var url: String?
    /// `url`, `ftp`, `ftps`, `sftp`: download timeout in seconds.
    package var timeoutSeconds: Double?
    /// `ftp`, `ftps`, `sftp`: the server, its login and how it is checked.
    package var remote: RemoteFileOptions
    /// `url`: extra request headers.
    package var httpHeaders: [String: String]
    /// nil means `auto` (extension, then content sniffing).
    package var format: FileFormat?
    /// CSV/TSV dialect.
    package var csv: CSVOptions
    /// Which XLSX sheet to read.
    package var xlsx: XLSXOptions
    /// Where the rows are inside a JSON document.
    package var json: JSONOptions

    package init(
        type: SourceType = .upload, formats: [FileFormat] = [], maxSizeMB: Int? = nil,
        path: String? = nil, url: String? = nil, timeoutSeconds: Double? = nil,
        httpHeaders: [String: String] = [:], format: FileFormat? = nil,
        csv: CSVOptions = CSVOptions(), xlsx: XLSXOptions = XLSXOptions(), json: JSONOptions = JSONOptions(),
        remote: RemoteFileOptions = RemoteFileOptions()
    ) {
        self.type = type; self.formats = formats; self.maxSizeMB = maxSizeMB; self.path = path
        self.url = url; self.timeoutSeconds = timeoutSeconds; self.httpHeaders = httpHeaders
        self.format = format; self.csv = csv; self.xlsx = xlsx; self.json = json; self.remote = remote
    }
}

/// The server side of an `ftp`, `ftps` or `sftp` source. Secrets are never held here: only the
/// name of the environment variable with the password, or the path of a key file.
package struct RemoteFileOptions: Sendable, Equatable {
    /// A host name or an IP address.
    package var host: String?
    /// nil means the protocol's port (21 for FTP and FTPS, 22 for SFTP).
    package var port: Int?
    package var username: String?
    /// The environment variable (prefix `INGEST_SECRET_`) that holds the password.
    package var passwordEnv: String?
    /// `sftp`: the private key file to log in with.
    package var privateKeyPath: String?
    /// `ftp`, `ftps`: passive mode (the client opens the data connection). Default true.
    package var passive: Bool
    /// `sftp`: the SHA-256 fingerprint of the server's host key, as 32 bytes.
    package var hostKeySHA256: [UInt8]?
    /// `sftp`: an OpenSSH known_hosts file that lists the server's host key.
    package var knownHostsPath: String?
    /// `ftps`: a PEM file of the certificate authorities to trust instead of the system's.
    package var caPath: String?

    package init(host: String? = nil, port: Int? = nil, username: String? = nil, passwordEnv: String? = nil,
                 privateKeyPath: String? = nil, passive: Bool = true, hostKeySHA256: [UInt8]? = nil,
                 knownHostsPath: String? = nil, caPath: String? = nil) {
        self.host = host; self.port = port; self.username = username; self.passwordEnv = passwordEnv
        self.privateKeyPath = privateKeyPath; self.passive = passive; self.hostKeySHA256 = hostKeySHA256
        self.knownHostsPath = knownHostsPath; self.caPath = caPath
    }
}

/// File formats Ingest reads.
package enum FileFormat: String, Sendable, Equatable, CaseIterable {
    case csv, tsv, xlsx, json, ndjson
}

/// CSV dialect. nil fields mean `auto`.
package struct CSVOptions: Sendable, Equatable {
    /// One byte; nil means sniffed from the first lines.
    package var delimiter: UInt8?
    /// One byte; default `"`.
    package var quote: UInt8
    /// nil means `auto`.
    package var encoding: TextEncodingName?
    /// 1-based row that holds the header.
    package var headerRow: Int
    package init(delimiter: UInt8? = nil, quote: UInt8 = UInt8(ascii: "\""), encoding: TextEncodingName? = nil, headerRow: Int = 1) {
        self.delimiter = delimiter; self.quote = quote; self.encoding = encoding; self.headerRow = headerRow
    }
}

/// Text encodings a CSV may be declared in.
package enum TextEncodingName: String, Sendable, Equatable, CaseIterable {
    case utf8 = "utf-8", utf16 = "utf-16", windows1252 = "windows-1252", iso88591 = "iso-8859-1"
}

/// XLSX options.
package struct XLSXOptions: Sendable, Equatable {
    /// A sheet by name, or by 1-based position.
    package enum Sheet: Sendable, Equatable { case name(String), index(Int) }
    /// nil means the first sheet.
    package var sheet: Sheet?
    package init(sheet: Sheet? = nil) { self.sheet = sheet }
}

/// JSON source options.
package struct JSONOptions: Sendable, Equatable {
    /// RFC 6901 pointer to the array of row objects; nil means the top-level array.
    package var pointer: String?
    package init(pointer: String? = nil) { self.pointer = pointer }
}
