/// How to read one file: format, dialect, encoding and which part of it holds the table.
///
/// Every `nil` means "detect it"; the Engine maps an importer definition's options onto this.
package struct ReadOptions: Sendable {
    /// The file formats Tabular reads.
    package enum Format: String, Sendable, CaseIterable {
        case csv, tsv, xlsx, json, ndjson
    }

    /// Text encodings for CSV/TSV (JSON and XLSX are always UTF-8 here). For `.utf16` a BOM
    /// decides the byte order; without one, little-endian unless the text starts with a zero byte.
    package enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case utf16 = "utf-16"
        case windows1252 = "windows-1252"
        case iso88591 = "iso-8859-1"
    }

    /// Which worksheet of a workbook to read.
    package enum Sheet: Sendable, Equatable {
        /// The sheet with this name (exact match, then case-insensitive).
        case name(String)
        /// The sheet at this 1-based position in workbook order.
        case index(Int)
    }

    /// nil = auto (file extension, then content sniffing).
    package var format: Format?
    /// Field delimiter byte; nil = sniff `,` `;` `|` TAB from the first lines (TSV: TAB).
    package var delimiter: UInt8?
    /// Quote byte for CSV/TSV. Default `"`.
    package var quote: UInt8
    /// nil = auto: BOM → UTF-8/UTF-16, valid UTF-8 → UTF-8, else Windows-1252.
    package var encoding: Encoding?
    /// 1-based record (XLSX: sheet row) holding the header; records before it are skipped, and
    /// if that record is blank the next non-blank one is the header. Default 1. Ignored for JSON.
    package var headerRow: Int
    /// Worksheet for XLSX; nil = the first sheet.
    package var sheet: Sheet?
    /// RFC 6901 pointer to the array of objects inside a JSON document; nil = the root.
    package var jsonPointer: String?
    /// JSON/NDJSON only: the keys to read (the engine passes the names a definition maps); other
    /// keys are parsed and dropped, never buffered or padded. nil = every key (`ingest new`).
    package var keySelection: KeySelection?
    /// JSON/NDJSON only: flattened keys (`lines`, `order.lines`) whose value is kept as its
    /// compact JSON text whatever its type (an array as `[…]`, a string with its quotes), so a
    /// real array can be told from a string that merely looks like one. Each is also a header
    /// column even when the sampled objects lack it. Empty = none (the engine passes `nest` paths).
    package var rawJSONKeys: Set<String> = []
    /// Resource caps.
    package var limits: ReadLimits

    /// Creates options; every argument defaults to auto-detection / the documented default.
    package init(
        format: Format? = nil,
        delimiter: UInt8? = nil,
        quote: UInt8 = UInt8(ascii: "\""),
        encoding: Encoding? = nil,
        headerRow: Int = 1,
        sheet: Sheet? = nil,
        jsonPointer: String? = nil,
        limits: ReadLimits = .init()
    ) {
        self.format = format
        self.delimiter = delimiter
        self.quote = quote
        self.encoding = encoding
        self.headerRow = headerRow
        self.sheet = sheet
        self.jsonPointer = jsonPointer
        self.keySelection = nil
        self.limits = limits
    }
}

/// Which flattened keys (`id`, `address.city`) of JSON/NDJSON objects become columns.
///
/// A predicate rather than a list: the definition's header matching (`normalized` ignores case
/// and punctuation) decides, and that lives with the definition, not with the reader. It must
/// answer the same for the same key every time: the reader asks once per distinct key (up to
/// 1,024 of them, then once per key of every object) and remembers the answer.
package struct KeySelection: Sendable {
    /// Whether the key is wanted.
    package let wants: @Sendable (String) -> Bool

    package init(_ wants: @escaping @Sendable (String) -> Bool) { self.wants = wants }
}
