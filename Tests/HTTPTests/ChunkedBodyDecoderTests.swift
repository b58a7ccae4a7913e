import Testing
@testable import HTTP

@Suite("Chunked body decoder")
struct ChunkedBodyDecoderTests {
    private let encoded = Array("5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 42\r\n\r\nNEXT".utf8)

    private func decodeAll(_ pieces: [ArraySlice<UInt8>], maxOutput: Int = .max) throws(HTTPError) -> ([UInt8], Int, ChunkedBodyDecoder) {
        var decoder = ChunkedBodyDecoder(maxTrailerBytes: 1024, maxTrailerCount: 10)
        var output: [UInt8] = []
        var consumed = 0
        for piece in pieces {
            var rest = piece
            while !rest.isEmpty && !decoder.isComplete {
                let used = try decoder.decode(rest, into: &output, maxOutput: maxOutput)
                consumed += used
                rest = rest.dropFirst(used)
            }
        }
        return (output, consumed, decoder)
    }

    @Test("decoding split at every byte position gives the same body, trailers and end")
    func everySplit() throws {
        for split in 0...encoded.count {
            let (body, consumed, decoder) = try decodeAll([encoded[0..<split], encoded[split...]], maxOutput: 7)
            #expect(String(decoding: body, as: UTF8.self) == "helloabcdefghijklmnopqrstuvwxyz", "split \(split)")
            #expect(decoder.isComplete)
            #expect(decoder.trailers["x-checksum"] == "42")
            #expect(consumed == encoded.count - 4, "split \(split)")
        }
    }

    @Test("malformed chunking is a 400")
    func malformed() {
        for text in ["zz\r\n", "5\r\nhelloXX\r\n", "5 x\r\n", "0\r\nBad Name: x\r\n\r\n", "FFFFFFFFFFFFFFFFF\r\n"] {
            #expect(throws: HTTPError.self, "\(text)") { try decodeAll([Array(text.utf8)[...]]) }
        }
    }

    @Test("a trailer section over its limit is a 431 whether it arrives at once or byte by byte (found by fuzzing)")
    func trailerLimitWhateverTheReads() {
        let oneLongLine = Array(("0\r\nX: " + String(repeating: "a", count: 1100) + "\r\n\r\n").utf8)
        let crossingLine = Array(("0\r\nA: " + String(repeating: "a", count: 600) + "\r\nB\rad: " + String(repeating: "c", count: 500) + "\r\n\r\n").utf8)
        for encoded in [oneLongLine, crossingLine] {
            for pieces in [[encoded[...]], encoded.indices.map { encoded[$0..<($0 + 1)] }] {
                #expect(throws: HTTPError(.requestHeaderFieldsTooLarge, message: "The chunked trailer section is too large.")) {
                    try decodeAll(pieces)
                }
            }
        }
    }
}
