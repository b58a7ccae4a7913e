/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally.
///
/// Sans-I/O: it is given whatever bytes have arrived and reports how many it used, so the body
/// stream can pull more from the socket only when the decoder asks. Chunk extensions are
/// ignored (RFC 9112 §7.1.1 allows it); trailers are parsed and kept.
struct ChunkedBodyDecoder {
    private enum State: Equatable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    /// The longest chunk-size line accepted, in bytes (size plus extensions).
    static let maxSizeLineBytes = 4096

    /// The most bytes of trailer section accepted.
    let maxTrailerBytes: Int
    /// The most trailer field lines accepted.
    let maxTrailerCount: Int

    private var state = State.sizeLine
    private var line: [UInt8] = []
    private var trailerBytes = 0
    /// Trailer fields received after the last chunk.
    private(set) var trailers = HTTPHeaders()

    init(maxTrailerBytes: Int, maxTrailerCount: Int) {
        self.maxTrailerBytes = maxTrailerBytes
        self.maxTrailerCount = maxTrailerCount
    }

    /// Whether the last chunk and the trailer section have been read.
    var isComplete: Bool { state == .done }

    /// Decodes from `input`, appending at most `maxOutput` content bytes to `output`.
    ///
    /// - Returns: how many bytes of `input` were used; the rest belongs to what follows (the next
    ///   pipelined request once ``isComplete``, otherwise call again after `output` is drained).
    mutating func decode(_ input: ArraySlice<UInt8>, into output: inout [UInt8], maxOutput: Int) throws(HTTPError) -> Int {
        var index = input.startIndex
        var produced = 0
        while index < input.endIndex && state != .done {
            switch state {
            case .sizeLine:
                guard try collectLine(input, from: &index, limit: Self.maxSizeLineBytes) != nil else { continue }
                state = try parseSizeLine()
            case .data(let remaining):
                let room = maxOutput - produced
                if room <= 0 { return index - input.startIndex }
                let take = min(remaining, room, input.endIndex - index)
                output.append(contentsOf: input[index..<(index + take)])
                index += take
                produced += take
                state = remaining - take == 0 ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                guard try collectLine(input, from: &index, limit: 2) != nil else { continue }
                // RFC 9112 §7.1: chunk-data is followed by CRLF and nothing else.
                guard line.isEmpty else { throw HTTPError(.badRequest, message: "A chunk is longer than its declared size.") }
                state = .sizeLine
            case .trailers:
                // The size is checked before the line is: the bytes that cross the limit are
                // refused the same way whether they arrive at once or one by one.
                let lineEnd = input[index...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? input.endIndex
                trailerBytes += lineEnd - index
                if trailerBytes > maxTrailerBytes {
                    throw HTTPError(.requestHeaderFieldsTooLarge, message: "The chunked trailer section is too large.")
                }
                guard try collectLine(input, from: &index, limit: maxTrailerBytes) != nil else { continue }
                if line.isEmpty {
                    state = .done
                } else {
                    if trailers.count == maxTrailerCount {
                        throw HTTPError(.requestHeaderFieldsTooLarge, message: "The chunked trailer section has too many fields.")
                    }
                    do throws(FieldLineParser.Failure) {
                        let field = try FieldLineParser.parse(line[...])
                        trailers.add(name: field.name, value: field.value)
                    } catch {
                        throw HTTPError(.badRequest, message: error.message)
                    }
                }
            case .done:
                break
            }
        }
        return index - input.startIndex
    }

    /// Accumulates bytes into `line` up to LF; returns non-nil once a whole line (without CRLF)
    /// is in `line`. A line is reset when the next one starts.
    private mutating func collectLine(_ input: ArraySlice<UInt8>, from index: inout Int, limit: Int) throws(HTTPError) -> Int? {
        if lineComplete {
            line.removeAll(keepingCapacity: true)
            lineComplete = false
        }
        guard let lf = input[index...].firstIndex(of: UInt8(ascii: "\n")) else {
            line.append(contentsOf: input[index...])
            index = input.endIndex
            if line.count > limit { throw HTTPError(.badRequest, message: "A chunked body line is too long.") }
            return nil
        }
        line.append(contentsOf: input[index..<lf])
        index = lf + 1
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.count > limit { throw HTTPError(.badRequest, message: "A chunked body line is too long.") }
        if line.contains(UInt8(ascii: "\r")) { throw HTTPError(.badRequest, message: "A chunked body line contains a bare carriage return.") }
        lineComplete = true
        return lf
    }

    private var lineComplete = false

    /// RFC 9112 §7.1: `chunk-size [ chunk-ext ] CRLF`, where chunk-size is 1*HEXDIG.
    private mutating func parseSizeLine() throws(HTTPError) -> State {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = PercentDecoding.hexValue(line[index]) {
            // 15 hex digits stay far below Int.max, so the arithmetic cannot overflow.
            guard digits < 15 else { throw HTTPError(.badRequest, message: "A chunk size is too large.") }
            size = size << 4 | Int(value)
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw HTTPError(.badRequest, message: "A chunk size is missing or not hexadecimal.") }
        while index < line.endIndex, HTTPSyntax.isWhitespace(line[index]) { index += 1 }
        guard index == line.endIndex || line[index] == UInt8(ascii: ";") else {
            throw HTTPError(.badRequest, message: "A chunk size line is malformed.")
        }
        return size == 0 ? .trailers : .data(remaining: size)
    }
}
