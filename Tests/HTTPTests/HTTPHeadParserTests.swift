import Testing
@testable import HTTP

@Suite("HTTP head parser")
struct HTTPHeadParserTests {
    private func parser() -> HTTPHeadParser {
        HTTPHeadParser(maxRequestLineBytes: 64, maxHeadBytes: 256, maxHeaderCount: 4)
    }

    private func parse(_ text: String) throws(HTTPError) -> HTTPRequestHead? {
        var parser = parser()
        return try parser.parse(Array(text.utf8)[...])?.head
    }

    private func status(_ text: String) -> Int? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.status.code
        }
    }

    @Test("a head split at every byte position parses to the same result")
    func everySplit() throws {
        let text = "POST /runs?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX-Thing:  spaced value \r\n\r\nabc"
        let bytes = Array(text.utf8)
        var reference = parser()
        let whole = try #require(try reference.parse(bytes[...]))
        #expect(whole.consumed == bytes.count - 3)
        #expect(whole.head.headers["x-thing"] == "spaced value")
        for split in 0...bytes.count {
            var parser = parser()
            var buffer = Array(bytes[0..<split])
            var result = try parser.parse(buffer[...])
            if result == nil {
                buffer += bytes[split...]
                result = try parser.parse(buffer[...])
            }
            #expect(result?.head == whole.head, "split at \(split)")
            #expect(result?.consumed == whole.consumed, "split at \(split)")
        }
    }

    @Test("empty lines before the request line are ignored and bare LF is accepted")
    func lenientLineEndings() throws {
        let head = try #require(try parse("\r\n\nGET / HTTP/1.1\nHost: a\n\n"))
        #expect(head.method == .get)
        #expect(head.headers["host"] == "a")
    }

    @Test("each malformed head gets its own status")
    func statuses() {
        #expect(status("GET /\(String(repeating: "a", count: 80)) HTTP/1.1\r\n") == 414)
        #expect(status("GET /\(String(repeating: "a", count: 80))") == 414)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 300))\r\n") == 431)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n") == 431)
        #expect(status("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  folded\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
        #expect(status("HELLO\r\n\r\n") == 400)
        #expect(status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(status("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nBad\u{1}: x\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\u{0}\r\n\r\n") == 400)
    }

    @Test("empty lines before the request line do not count against the head limit, however the reads end (found by fuzzing)")
    func leadingEmptyLinesOutsideTheLimit() throws {
        // The head proper, from the request line to its empty line, is exactly 256 bytes.
        let head = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 224) + "\r\n\r\n"
        #expect(head.utf8.count == 256)
        let bytes = Array(("\r\n\r\n" + head).utf8)
        var whole = parser()
        #expect(try whole.parse(bytes[...])?.consumed == bytes.count)
        var trickled = parser()
        #expect(try trickled.parse(bytes[0..<(bytes.count - 2)]) == nil)
        #expect(try trickled.parse(bytes[...])?.consumed == bytes.count)
    }

    @Test("HTTP/1.0 needs no Host")
    func http10WithoutHost() throws {
        #expect(try parse("GET / HTTP/1.0\r\n\r\n")?.version == .http1_0)
    }

    @Test("framing refuses ambiguous lengths and unknown codings")
    func framing() throws {
        func framing(_ headers: HTTPHeaders, version: HTTPVersion = .http1_1) throws(HTTPError) -> BodyFraming {
            try BodyFraming.determine(for: HTTPRequestHead(method: .post, target: "/", version: version, headers: headers))
        }
        func status(_ headers: HTTPHeaders, version: HTTPVersion = .http1_1) -> Int? {
            do { _ = try framing(headers, version: version); return nil } catch { return error.status.code }
        }
        #expect(try framing(["Content-Length": "5"]) == .length(5))
        #expect(try framing(["Content-Length": "0"]) == .none)
        #expect(try framing(["Transfer-Encoding": "chunked"]) == .chunked)
        #expect(try framing([:]) == .none)
        #expect(status(HTTPHeaders([("Content-Length", "5"), ("Content-Length", "6")])) == 400)
        #expect(status(HTTPHeaders([("Content-Length", "5"), ("Content-Length", "5")])) == 400)
        #expect(status(["Content-Length": "5, 5"]) == 400)
        #expect(status(["Content-Length": "-1"]) == 400)
        #expect(status(["Content-Length": "+5"]) == 400)
        #expect(status(["Content-Length": "99999999999999999999"]) == 400)
        #expect(status(HTTPHeaders([("Content-Length", "5"), ("Transfer-Encoding", "chunked")])) == 400)
        #expect(status(["Transfer-Encoding": "gzip, chunked"]) == 501)
        #expect(status(["Transfer-Encoding": "chunked, gzip"]) == 400)
        #expect(status(["Transfer-Encoding": "chunked, chunked"]) == 400)
        #expect(status(["Transfer-Encoding": "chunked"], version: .http1_0) == 400)
    }
}
