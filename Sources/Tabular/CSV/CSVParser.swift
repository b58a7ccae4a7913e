#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sans-I/O RFC 4180 parser: feed it UTF-8 bytes in chunks of any size, it appends records.
///
/// It never reads a file, so tests can split the same input at every byte position and expect
/// the same records. Chunk boundaries may fall anywhere, including inside a CRLF, a doubled
/// quote or a multi-byte character (structural bytes are ASCII, so UTF-8 sequences never need
/// to be reassembled here).
///
/// Dialect, with the lenient choices most readers make:
/// - Records end at CRLF, LF or a lone CR.
/// - A field that starts with the quote byte is quoted: delimiters and line breaks inside are
///   data, and a doubled quote is one quote.
/// - A quote inside an unquoted field is kept literally (`ab"c` → `ab"c`).
/// - Text after a closing quote is appended literally to the field (`"ab"cd` → `abcd`).
/// - An unterminated quoted field at end of input is an error naming the line where it started.
/// - A blank line is a record of one empty field; the reader skips those, not the parser.
///
/// Memory: the current record plus one field buffer used only for fields that cross a chunk
/// boundary or contain doubled quotes; both are capped by `maxFieldBytes` and `maxCellsPerRow`.
package struct CSVParser {
    private enum State: UInt8 {
        case fieldStart, unquoted, quoted, quoteInQuoted, afterCR
    }

    /// The field delimiter byte (ASCII).
    package let delimiter: UInt8
    /// The quote byte (ASCII).
    package let quote: UInt8
    /// Largest field in bytes before `.limitExceeded`.
    package let maxFieldBytes: Int
    /// Most cells in a record before `.limitExceeded`.
    package let maxCellsPerRow: Int

    private var state: State = .fieldStart
    private var field: [UInt8] = []
    private var cells: [String] = []
    private var expectedCells = 8
    /// 1-based physical line of the next byte.
    private(set) package var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    private var quotedCR = false
    /// Bytes fed so far.
    private(set) package var bytesFed: Int64 = 0

    /// Creates a parser for one stream.
    package init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                maxFieldBytes: Int = 16 << 20, maxCellsPerRow: Int = 16_384) {
        self.delimiter = delimiter
        self.quote = quote
        self.maxFieldBytes = maxFieldBytes
        self.maxCellsPerRow = maxCellsPerRow
    }

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let lfMask: UInt64 = 0x0A &* ones
    private static let crMask: UInt64 = 0x0D &* ones

    /// High bit set in each byte of `x` that is zero; exact for the lowest such byte, which is
    /// all the scanner needs (little-endian).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- ones) & ~x & highs
    }

    /// Parses `input`, appending every record completed inside it to `records`.
    ///
    /// On error, the records completed before the faulty place have already been appended.
    package mutating func feed(_ input: UnsafeBufferPointer<UInt8>, into records: inout [CSVRecord]) throws(TabularError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        let end = input.count
        let d = delimiter, q = quote, lf = Self.lf, cr = Self.cr
        let dMask = UInt64(d) &* Self.ones
        var i = 0
        var segStart = 0
        var quotePos = 0
        var state = self.state
        defer { bytesFed += Int64(end) }
        scan: while i < end {
            switch state {
            case .afterCR:
                state = .fieldStart
                if base[i] == lf { i += 1 }
            case .fieldStart:
                if base[i] == q {
                    quoteLine = line
                    quotedCR = false
                    i += 1
                    segStart = i
                    state = .quoted
                } else {
                    segStart = i
                    state = .unquoted
                }
            case .unquoted:
                // Stays in this loop while fields follow each other unquoted: no state dispatch
                // per field on the common path.
                while true {
                    let j = Self.nextStructural(base, from: i, end: end, delimiter: d, dMask: dMask)
                    if j == end { i = end; break scan }
                    let b = base[j]
                    try endField(UnsafeBufferPointer(start: base + segStart, count: j - segStart))
                    i = j + 1
                    if b == cr {
                        try endRecord(into: &records)
                        state = .afterCR
                        break
                    }
                    if b == lf { try endRecord(into: &records) }
                    if i < end && base[i] != q {
                        segStart = i
                        continue
                    }
                    state = .fieldStart
                    break
                }
            case .quoted:
                let remaining = end - i
                guard let hit = memchr(base + i, Int32(q), remaining) else {
                    countLines(base + i, remaining)
                    i = end
                    break scan
                }
                let j = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
                countLines(base + i, j - i)
                quotePos = j
                i = j + 1
                state = .quoteInQuoted
            case .quoteInQuoted:
                state = try afterQuote(base, at: &i, segStart: &segStart, quotePos: quotePos, into: &records)
            }
        }
        self.state = state
        try keepUnfinishedField(base, segStart: segStart, quotePos: quotePos, end: end)
    }

    /// The index of the first delimiter, LF or CR at or after `from`, or `end`.
    @inline(__always)
    private static func nextStructural(_ base: UnsafePointer<UInt8>, from: Int, end: Int, delimiter d: UInt8, dMask: UInt64) -> Int {
        var j = from
        // SWAR: test 8 bytes at a time for the delimiter, LF or CR.
        while j + 8 <= end {
            let word = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
            let hits = zeroBytes(word ^ dMask) | zeroBytes(word ^ lfMask) | zeroBytes(word ^ crMask)
            if hits != 0 { return j + hits.trailingZeroBitCount >> 3 }
            j += 8
        }
        while j < end {
            let b = base[j]
            if b == d || b == lf || b == cr { return j }
            j += 1
        }
        return end
    }

    /// The byte at `i` follows a quote inside a quoted field (at `quotePos`): a doubled quote,
    /// the end of the field (delimiter or line break), or lenient text after the closing quote.
    /// - Returns: the next state.
    @inline(__always)
    private mutating func afterQuote(_ base: UnsafePointer<UInt8>, at i: inout Int, segStart: inout Int, quotePos: Int,
                                     into records: inout [CSVRecord]) throws(TabularError) -> State {
        let b = base[i]
        if b == quote {
            // RFC 4180 §2.7: a doubled quote inside a quoted field is one quote.
            try appendToField(base + segStart, quotePos + 1 - segStart)
            i += 1
            segStart = i
            return .quoted
        }
        if b == delimiter || b == Self.lf || b == Self.cr {
            try endField(UnsafeBufferPointer(start: base + segStart, count: quotePos - segStart))
            i += 1
            if b == delimiter { return .fieldStart }
            try endRecord(into: &records)
            return b == Self.cr ? .afterCR : .fieldStart
        }
        // Lenient: text after the closing quote is kept, as an unquoted continuation.
        try appendToField(base + segStart, quotePos - segStart)
        segStart = i
        return .unquoted
    }

    /// Keeps the unfinished field's bytes at the end of a chunk: the caller's buffer is gone
    /// after `feed` returns.
    private mutating func keepUnfinishedField(_ base: UnsafePointer<UInt8>, segStart: Int, quotePos: Int, end: Int) throws(TabularError) {
        switch state {
        case .unquoted, .quoted:
            try appendToField(base + segStart, end - segStart)
        case .quoteInQuoted:
            try appendToField(base + segStart, quotePos - segStart)
        case .fieldStart, .afterCR:
            break
        }
    }

    /// Feeds a byte array (convenience for tests and small inputs).
    package mutating func feed(_ bytes: [UInt8], into records: inout [CSVRecord]) throws(TabularError) {
        var failure: TabularError?
        bytes.withUnsafeBufferPointer { buffer in
            do throws(TabularError) { try feed(buffer, into: &records) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Signals end of input: completes the last record (a last line without line break) or
    /// throws if a quoted field was never closed.
    package mutating func finish(into records: inout [CSVRecord]) throws(TabularError) {
        switch state {
        case .quoted:
            throw TabularError(.malformedCSV, "unterminated quoted field starting on line \(quoteLine)", line: quoteLine)
        case .unquoted, .quoteInQuoted:
            try endField(UnsafeBufferPointer(start: nil, count: 0))
            try endRecord(into: &records)
        case .fieldStart:
            if !cells.isEmpty {
                try endField(UnsafeBufferPointer(start: nil, count: 0))
                try endRecord(into: &records)
            }
        case .afterCR:
            break
        }
        state = .afterCR
    }

    /// Counts line breaks inside quoted data (CRLF once, even when split across chunks).
    @inline(__always)
    private mutating func countLines(_ start: UnsafePointer<UInt8>, _ count: Int) {
        var k = 0
        var previousCR = quotedCR
        while k < count {
            let b = start[k]
            if b == Self.lf {
                if !previousCR { line += 1 }
                previousCR = false
            } else if b == Self.cr {
                line += 1
                previousCR = true
            } else {
                previousCR = false
            }
            k += 1
        }
        if count > 0 { quotedCR = previousCR }
    }

    private mutating func appendToField(_ start: UnsafePointer<UInt8>, _ count: Int) throws(TabularError) {
        guard count > 0 else { return }
        if field.count + count > maxFieldBytes {
            throw fieldTooLarge()
        }
        field.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
    }

    @inline(__always)
    private mutating func endField(_ tail: UnsafeBufferPointer<UInt8>) throws(TabularError) {
        let value: String
        if field.isEmpty {
            if tail.count > maxFieldBytes { throw fieldTooLarge() }
            value = tail.isEmpty ? "" : String(decoding: tail, as: UTF8.self)
        } else {
            if let start = tail.baseAddress {
                try appendToField(start, tail.count)
            }
            value = String(decoding: field, as: UTF8.self)
            field.removeAll(keepingCapacity: field.capacity <= 1 << 20)
        }
        if cells.count >= maxCellsPerRow {
            throw TabularError(.limitExceeded, "record has more than \(maxCellsPerRow) cells (maxCellsPerRow)", line: recordLine)
        }
        cells.append(value)
    }

    @inline(__always)
    private mutating func endRecord(into records: inout [CSVRecord]) throws(TabularError) {
        records.append(CSVRecord(cells: cells, line: recordLine))
        expectedCells = max(expectedCells, cells.count)
        cells = []
        cells.reserveCapacity(expectedCells)
        line += 1
        recordLine = line
    }

    private func fieldTooLarge() -> TabularError {
        TabularError(.limitExceeded, "field larger than \(maxFieldBytes) bytes (maxFieldBytes) in the record starting on line \(recordLine)", line: recordLine)
    }
}
