/// How the length of a request body is known (RFC 9112 §6.3).
enum BodyFraming: Equatable, Sendable {
    /// No body.
    case none
    /// Exactly this many bytes (`Content-Length`).
    case length(Int)
    /// Chunked transfer coding, ended by a zero-size chunk and optional trailers.
    case chunked

    /// Decides the framing from the head, refusing every ambiguous combination, because two
    /// parsers that disagree about where a body ends are how requests get smuggled.
    static func determine(for head: HTTPRequestHead) throws(HTTPError) -> BodyFraming {
        let transferEncodings = head.headers.values(for: "Transfer-Encoding")
        let contentLengths = head.headers.values(for: "Content-Length")

        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: a server MAY reject a request with both Transfer-Encoding and
            // Content-Length; it is a smuggling attempt more often than not, so refuse it.
            if !contentLengths.isEmpty {
                throw HTTPError(.badRequest, message: "Content-Length and Transfer-Encoding cannot both be present.")
            }
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
            if head.version == .http1_0 {
                throw HTTPError(.badRequest, message: "Transfer-Encoding is not allowed in an HTTP/1.0 request.")
            }
            let codings = transferEncodings
                .flatMap { $0.split(separator: ",") }
                .map { $0.trimmingHTTPWhitespace().lowercased() }
                .filter { !$0.isEmpty }
            // RFC 9112 §6.3: if chunked is not the final coding of a request, the length cannot
            // be determined; the server MUST respond 400 and close.
            guard codings.last == "chunked" else {
                throw HTTPError(.badRequest, message: "The final transfer coding of a request must be chunked.")
            }
            // RFC 9112 §7: chunked MUST NOT be applied more than once.
            if codings.filter({ $0 == "chunked" }).count > 1 {
                throw HTTPError(.badRequest, message: "The chunked transfer coding is applied more than once.")
            }
            // RFC 9112 §6.1: a server that does not understand a transfer coding SHOULD answer 501.
            if let unknown = codings.first(where: { $0 != "chunked" }) {
                throw HTTPError(.notImplemented, message: "The transfer coding '\(unknown)' is not supported.")
            }
            return .chunked
        }

        guard !contentLengths.isEmpty else {
            // RFC 9112 §6.3 rule 7: a request with neither has no body.
            return .none
        }
        let values = contentLengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // RFC 9112 §6.3 rule 5: several or list-valued Content-Length are unrecoverable unless all
        // equal; a server may reject them, and we do, so no two parsers can disagree.
        guard values.count == 1 else {
            throw HTTPError(.badRequest, message: "The request has more than one Content-Length.")
        }
        let text = values[0].trimmingHTTPWhitespace()
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let length = Int(text)
        else {
            throw HTTPError(.badRequest, message: "The Content-Length is not a valid number.")
        }
        return length == 0 ? .none : .length(length)
    }
}
