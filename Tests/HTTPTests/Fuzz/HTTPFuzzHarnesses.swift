// Fuzz harnesses for the HTTP parsers, shared by the libFuzzer targets under `Fuzz/` (which
// compile this file next to their entry point) and by `FuzzCorpusTests`, which replays the
// committed corpus through them on every `swift test`. Keep this file free of `Testing`.
@testable import HTTP

/// One input through ``HTTPHeadParser``: it must not crash, and a head fed in growing prefixes
/// (as a connection reads it) must give the same head, length or error status as the whole.
enum HTTPHeadFuzz {
    /// Small limits, so that inputs of a few hundred bytes reach every limit.
    static func makeParser() -> HTTPHeadParser {
        HTTPHeadParser(maxRequestLineBytes: 96, maxHeadBytes: 512, maxHeaderCount: 8)
    }

    enum Outcome: Equatable {
        case head(HTTPRequestHead, consumed: Int)
        case needMore
        case failed(status: Int)
    }

    static func parse(_ parser: inout HTTPHeadParser, _ bytes: ArraySlice<UInt8>) -> Outcome {
        do {
            guard let (head, consumed) = try parser.parse(bytes) else { return .needMore }
            return .head(head, consumed: consumed)
        } catch {
            return .failed(status: error.status.code)
        }
    }

    /// The problems found; empty when the parser behaved.
    static func check(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        var whole = makeParser()
        let reference = parse(&whole, bytes[...])
        if case .head(_, let consumed) = reference, consumed <= 0 || consumed > bytes.count {
            problems.append("consumed \(consumed) of \(bytes.count) bytes")
        }
        // The same parser fed growing prefixes; the first answer that is not "need more" wins.
        var incremental = makeParser()
        var outcome = Outcome.needMore
        for end in splitPoints(bytes.count) {
            outcome = parse(&incremental, bytes[0..<end])
            if outcome != .needMore { break }
        }
        if outcome != reference {
            problems.append("whole input: \(reference), fed in prefixes: \(outcome)")
        }
        // A parser reused after reset() must behave like a new one.
        incremental.reset()
        let again = parse(&incremental, bytes[...])
        if again != reference { problems.append("after reset(): \(again), new parser: \(reference)") }
        return problems
    }

    /// Where a connection's reads might end: a few points spread over the input, then its end.
    static func splitPoints(_ count: Int) -> [Int] {
        var points = [1, count / 3, count / 2, count - 1, count].filter { $0 > 0 && $0 <= count }
        points = Array(Set(points)).sorted()
        return points
    }
}

/// One input through ``ChunkedBodyDecoder``: decoded at once with no output limit, and byte by
/// byte with a 3-byte output limit, it must give the same body, trailers, length and error.
enum ChunkedFuzz {
    struct Result: Equatable {
        var body: [UInt8] = []
        var consumed = 0
        var complete = false
        var trailers = HTTPHeaders()
        var errorStatus: Int?
        /// A call that used no input although some was left and the body was not complete.
        var stalled = false
    }

    static func decode(_ bytes: [UInt8], pieceSize: Int, maxOutput: Int) -> Result {
        var decoder = ChunkedBodyDecoder(maxTrailerBytes: 256, maxTrailerCount: 4)
        var result = Result()
        var start = 0
        do {
            while start < bytes.count && !decoder.isComplete {
                var piece = bytes[start..<min(start + pieceSize, bytes.count)]
                while !piece.isEmpty && !decoder.isComplete {
                    let used = try decoder.decode(piece, into: &result.body, maxOutput: maxOutput)
                    if used == 0 {
                        result.stalled = true
                        return result
                    }
                    result.consumed += used
                    piece = piece.dropFirst(used)
                }
                start += pieceSize
            }
        } catch {
            // How much of the input a failing call used is not defined: compare only the error.
            result.errorStatus = error.status.code
            result.consumed = 0
        }
        result.complete = decoder.isComplete
        result.trailers = decoder.trailers
        return result
    }

    /// The problems found; empty when the decoder behaved.
    static func check(_ bytes: [UInt8]) -> [String] {
        let whole = decode(bytes, pieceSize: max(bytes.count, 1), maxOutput: .max)
        let trickled = decode(bytes, pieceSize: 1, maxOutput: 3)
        var problems: [String] = []
        if whole.consumed > bytes.count { problems.append("consumed \(whole.consumed) of \(bytes.count) bytes") }
        if whole.body.count > bytes.count { problems.append("a \(whole.body.count)-byte body from \(bytes.count) bytes") }
        if whole.stalled || trickled.stalled { problems.append("the decoder used no input and was not complete") }
        if whole != trickled {
            problems.append("at once: \(summary(whole)); byte by byte: \(summary(trickled))")
        }
        return problems
    }

    private static func summary(_ result: Result) -> String {
        "body \(result.body.count) bytes, consumed \(result.consumed), complete \(result.complete), "
            + "\(result.trailers.count) trailers, error \(result.errorStatus.map(String.init) ?? "none")"
    }
}

/// One input through ``MultipartParser``. The first line of the input is the boundary, the rest
/// the body. Fed at once and in 1- and 7-byte pieces, it must give the same parts (headers and
/// content), or the same error (the events of a failing feed are lost, so only the error counts).
enum MultipartFuzz {
    /// Small limits, so that small inputs reach every limit.
    static let limits = MultipartLimits(maxParts: 6, maxPartHeaderBytes: 128, maxFieldBytes: 256, maxFileBytes: 512, maxPreambleBytes: 64)

    enum Item: Equatable {
        case head(MultipartPartHead)
        case content([UInt8])
        case partEnd
        case end
        case failed(MultipartError)
    }

    static func parse(boundary: String, body: ArraySlice<UInt8>, pieceSize: Int) -> [Item] {
        var parser: MultipartParser
        do {
            parser = try MultipartParser(boundary: boundary, limits: limits)
        } catch {
            return [.failed(error)]
        }
        var items: [Item] = []
        var start = body.startIndex
        do {
            while start < body.endIndex {
                let end = min(start + pieceSize, body.endIndex)
                for event in try parser.feed(body[start..<end]) { append(event, to: &items) }
                start = end
            }
            try parser.finish()
        } catch {
            items.append(.failed(error))
        }
        return items
    }

    /// Adds an event, merging consecutive content chunks (their split depends on the feeds).
    private static func append(_ event: MultipartEvent, to items: inout [Item]) {
        switch event {
        case .partHeaders(let head): items.append(.head(head))
        case .bodyChunk(let bytes):
            if case .content(let previous)? = items.last {
                items[items.count - 1] = .content(previous + bytes)
            } else {
                items.append(.content(bytes))
            }
        case .partEnd: items.append(.partEnd)
        case .end: items.append(.end)
        }
    }

    /// The problems found; empty when the parser behaved.
    static func check(_ bytes: [UInt8]) -> [String] {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let boundary = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = bytes[min(newline + 1, bytes.endIndex)...]
        let whole = parse(boundary: boundary, body: body, pieceSize: max(body.count, 1))
        var problems: [String] = []
        for pieceSize in [1, 7] {
            let pieces = parse(boundary: boundary, body: body, pieceSize: pieceSize)
            let same: Bool
            if case .failed(let error)? = whole.last {
                same = pieces.last == .failed(error)
            } else {
                same = pieces == whole
            }
            if !same {
                problems.append("at once: \(summary(whole)); in \(pieceSize)-byte pieces: \(summary(pieces))")
            }
        }
        return problems
    }

    private static func summary(_ items: [Item]) -> String {
        let parts = items.filter { if case .head = $0 { true } else { false } }.count
        let content = items.reduce(0) { if case .content(let bytes) = $1 { $0 + bytes.count } else { $0 } }
        guard let last = items.last else { return "no events" }
        return "\(items.count) events, \(parts) parts, \(content) content bytes, last \(last)"
    }
}
