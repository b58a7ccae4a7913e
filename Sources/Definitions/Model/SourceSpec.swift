/// Where rows come from and how the file is read.
public struct SourceSpec: Sendable, Equatable {
    /// How a run gets its file: uploaded, read from the data root, or downloaded.
    public enum SourceType: String, Sendable, Equatable, CaseIterable { case upload, filesystem, url }

    /// Default `upload`.
    public var type: SourceType
    /// Allowed formats; empty means every format.
    public var formats: [FileFormat]
    /// Upload size cap in MiB; nil means the server default.
    public var maxSizeMB: Int?
    /// `filesystem`: path relative to the data root.
    public var path: String?
    /// `url`: http(s) address.
    public var url: String?
    /// `url`: download timeout in seconds.
    public var timeoutSeconds: Double?
    /// `url`: extra request headers.
    public var httpHeaders: [String: String]
    /// nil means `auto` (extension, then content sniffing).
    public var format: FileFormat?
    /// CSV/TSV dialect.
    public var csv: CSVOptions
    /// Which XLSX sheet to read.
    public var xlsx: XLSXOptions
    /// Where the rows are inside a JSON document.
    public var json: JSONOptions

    public init(
        type: SourceType = .upload, formats: [FileFormat] = [], maxSizeMB: Int? = nil,
        path: String? = nil, url: String? = nil, timeoutSeconds: Double? = nil,
        httpHeaders: [String: String] = [:], format: FileFormat? = nil,
        csv: CSVOptions = CSVOptions(), xlsx: XLSXOptions = XLSXOptions(), json: JSONOptions = JSONOptions()
    ) {
        self.type = type; self.formats = formats; self.maxSizeMB = maxSizeMB; self.path = path
        self.url = url; self.timeoutSeconds = timeoutSeconds; self.httpHeaders = httpHeaders
        self.format = format; self.csv = csv; self.xlsx = xlsx; self.json = json
    }
}

/// File formats Ingest reads.
public enum FileFormat: String, Sendable, Equatable, CaseIterable {
    case csv, tsv, xlsx, json, ndjson
}

/// CSV dialect. nil fields mean `auto`.
public struct CSVOptions: Sendable, Equatable {
    /// One byte; nil means sniffed from the first lines.
    public var delimiter: UInt8?
    /// One byte; default `"`.
    public var quote: UInt8
    /// nil means `auto`.
    public var encoding: TextEncodingName?
    /// 1-based row that holds the header.
    public var headerRow: Int
    public init(delimiter: UInt8? = nil, quote: UInt8 = UInt8(ascii: "\""), encoding: TextEncodingName? = nil, headerRow: Int = 1) {
        self.delimiter = delimiter; self.quote = quote; self.encoding = encoding; self.headerRow = headerRow
    }
}

/// Text encodings a CSV may be declared in.
public enum TextEncodingName: String, Sendable, Equatable, CaseIterable {
    case utf8 = "utf-8", utf16 = "utf-16", windows1252 = "windows-1252", iso88591 = "iso-8859-1"
}

/// XLSX options.
public struct XLSXOptions: Sendable, Equatable {
    /// A sheet by name, or by 1-based position.
    public enum Sheet: Sendable, Equatable { case name(String), index(Int) }
    /// nil means the first sheet.
    public var sheet: Sheet?
    public init(sheet: Sheet? = nil) { self.sheet = sheet }
}

/// JSON source options.
public struct JSONOptions: Sendable, Equatable {
    /// RFC 6901 pointer to the array of row objects; nil means the top-level array.
    public var pointer: String?
    public init(pointer: String? = nil) { self.pointer = pointer }
}
