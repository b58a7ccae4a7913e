import Definitions
import Engine
import Foundation
import RegexEngine
import Tabular
import Testing
@testable import API
@testable import CLI
@testable import HTTP

/// Keeps the limit tables of `SECURITY.md` true: each row named here must state, in its
/// "default" column, the value the code has (for the listener and the API, what `ingest serve`
/// gets with no options).
@Suite("SECURITY.md states the code's limits")
struct SecurityDocTests {
    /// The first two cells of every table row of SECURITY.md: limit → default.
    static func documentedDefaults() throws -> [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("SECURITY.md"), encoding: .utf8)
        var defaults: [String: String] = [:]
        let lines = text.split(separator: "\n").map(String.init)
        for (index, line) in lines.enumerated() where line.hasPrefix("| ") {
            // A table's header row is the one its `|---|` line follows.
            if index + 1 < lines.count && lines[index + 1].hasPrefix("|---") { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, !cells[1].isEmpty else { continue }
            #expect(defaults[cells[1]] == nil, "two rows name '\(cells[1])'")
            defaults[cells[1]] = cells[2]
        }
        return defaults
    }

    /// `8 KiB`, `1 MiB`, `4 GiB` for whole units, else the byte count.
    static func bytes(_ value: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where value >= size && value % size == 0 {
            return "\(value / size) \(unit)"
        }
        return count(value) + " bytes"
    }

    /// `16,384`.
    static func count(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// `500 ms`, `10 s`.
    static func duration(_ value: Duration) -> String {
        let milliseconds = Int(value.components.seconds * 1000 + value.components.attoseconds / 1_000_000_000_000_000)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    @Test("the listener's and the API's limits are those of `ingest serve` without options")
    func listenerAndAPI() throws {
        let documented = try Self.documentedDefaults()
        let serve = try ServeOptionsTests.configuration([])
        let http = serve.http, api = serve.api
        let expected: [(String, String)] = [
            ("connections served at once", Self.count(http.maxConnections)),
            ("connections without a valid token yet", Self.count(http.maxUnauthenticatedConnections)),
            ("connections without a valid token, per client address (IPv6: per /64)", Self.count(http.maxUnauthenticatedConnectionsPerAddress)),
            ("grace before an unauthenticated connection may be closed for room", Self.duration(http.evictionGrace)),
            ("accepted connections waiting for a slot", Self.count(http.backlog)),
            ("wait for a slot", Self.duration(http.connectionQueueTimeout)),
            ("request line", Self.bytes(http.maxRequestLineBytes)),
            ("request head (request line and headers)", Self.bytes(http.maxHeadBytes)),
            ("header fields", Self.count(http.maxHeaderCount)),
            ("time to send a whole request head", Self.duration(http.headTimeout)),
            ("idle time between requests on a kept-alive connection", Self.duration(http.idleTimeout)),
            ("wait for the next bytes of a body", Self.duration(http.bodyReadTimeout)),
            ("time a body gets before the minimum rate counts", Self.duration(http.bodyTimeout)),
            ("slowest average body rate after that", Self.bytes(http.minBodyBytesPerSecond) + "/s"),
            ("wait for the client to take response bytes", Self.duration(http.writeTimeout)),
            ("buffered body of a route without its own limit", Self.bytes(http.maxBufferedBodyBytes)),
            ("chunk-size line of a chunked body", Self.bytes(ChunkedBodyDecoder.maxSizeLineBytes)),
            ("graceful shutdown wait for in-flight requests", Self.duration(http.drainTimeout)),
            ("uploaded file", "\(serve.engine.maxUploadBytes >> 20) MiB"),
            ("upload body beyond the file (framing, part headers, `dry_run`)", Self.bytes(api.multipartOverheadBytes)),
            ("parts in an upload form", Self.count(api.uploadFormLimits.maxParts)),
            ("headers of one form part", Self.bytes(api.uploadFormLimits.maxPartHeaderBytes)),
            ("one form field other than the file", Self.bytes(api.uploadFormLimits.maxFieldBytes)),
            ("text before the first boundary", Self.bytes(api.uploadFormLimits.maxPreambleBytes)),
            ("JSON body of `trigger` and `retry`", Self.bytes(api.maxJSONBodyBytes)),
            ("`per_page`", Self.count(api.maxPerPage)),
            ("`page` and `per_page`", Self.count(PageRequest.maxValue)),
        ]
        for (limit, value) in expected {
            #expect(documented[limit] == value, "SECURITY.md: \(limit)")
        }
        #expect(documented["token"]?.hasPrefix("\(TokenGenerator.randomByteCount) random bytes") == true)
        #expect(http.maxHeadBytes == 64 << 10 && http.maxHeaderCount == 100, "the chunked trailer row repeats the head limits")
        #expect(documented["chunked trailer section"] == "\(Self.bytes(http.maxHeadBytes)) and \(http.maxHeaderCount) fields (as the head)")
    }

    @Test("the readers', the definitions' and the downloads' limits are the code's")
    func readersDefinitionsDownloads() throws {
        let documented = try Self.documentedDefaults()
        let read = ReadLimits()
        let expected: [(String, String)] = [
            ("one cell", Self.bytes(read.maxFieldBytes)),
            ("cells in one row", Self.count(read.maxCellsPerRow)),
            ("JSON/NDJSON objects sampled for the header", Self.count(read.jsonHeaderSampleObjects)),
            ("JSON/NDJSON bytes sampled for the header", Self.bytes(read.jsonHeaderSampleBytes)),
            ("distinct keys in a JSON/NDJSON header", Self.count(read.maxJSONHeaderKeys)),
            ("JSON nesting", Self.count(read.maxJSONDepth)),
            ("ZIP entries", Self.count(read.maxZipEntries)),
            ("bytes inflated from all parts", Self.bytes(Int(read.maxUncompressedBytes))),
            ("inflated-to-compressed ratio of one entry, once it passes 1 MiB", Self.count(read.maxCompressionRatio)),
            ("cells of one sheet, gaps included", Self.count(read.maxCells)),
            ("shared-strings table", Self.bytes(read.maxSharedStringsBytes)),
            ("one value after its template and transforms", Self.bytes(ValueLimits.defaultValueBytes)),
            ("one row's values after transforms", Self.bytes(ValueLimits.defaultRowBytes)),
            ("nesting of a definition file", Self.count(JSONDocument.maxDepth)),
            ("compiled size of one regex", Self.count(LinearRegex.maxInstructions) + " instructions"),
            ("body", "\(EngineConfiguration().maxUploadBytes >> 20) MiB"),
        ]
        for (limit, value) in expected {
            #expect(documented[limit] == value, "SECURITY.md: \(limit)")
        }
        #expect(ValueLimits.ceiling == 1 << 30, "SECURITY.md says the value caps go up to 1 GiB")
    }
}
