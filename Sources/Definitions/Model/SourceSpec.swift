/// Where rows come from and how the file is read.
package struct SourceSpec: Sendable, Equatable {
    /// How a run gets its file: uploaded, read from the data root, or downloaded.
    package enum SourceType: String, Sendable, Equatable, CaseIterable { case upload, filesystem, url }

    /// Default `upload`.
    package var type: SourceType
    /// Allowed formats; empty means every format.
    package var formats: [FileFormat]
    /// Upload size cap in MiB; nil means the server default.
    package var maxSizeMB: Int?
    /// `filesystem`: path relative to the data root.
    package var path: String?
    /// `url`: http(s) address.
    package var url: String?
    /// `url`: download timeout in seconds.
    package var timeoutSeconds: Double?
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
        csv: CSVOptions = CSVOptions(), xlsx: XLSXOptions = XLSXOptions(), json: JSONOptions = JSONOptions()
    ) {
        self.type = type; self.formats = formats; self.maxSizeMB = maxSizeMB; self.path = path
        self.url = url; self.timeoutSeconds = timeoutSeconds; self.httpHeaders = httpHeaders
        self.format = format; self.csv = csv; self.xlsx = xlsx; self.json = json
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
