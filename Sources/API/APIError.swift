import Engine
import HTTP

/// Every error the API answers, and the one place where errors become HTTP statuses.
///
/// Handlers throw whatever their callee throws (``EngineError``, ``MultipartError``,
/// ``HTTPError``, `SQLiteError`, …); ``init(_:)`` maps each to a case here, so the status of a
/// given failure is decided once for the whole API. Bodies are always `{"message": ...}`, plus
/// `errors: {field: [messages]}` for `422` as Laravel's validator renders them. Messages never
/// carry paths, SQL or stack traces: anything not recognised becomes `500 "Server Error."`.
package enum APIError: Error, Sendable, Equatable, HTTPResponseError {
    /// `400`: a request the API cannot read at all (malformed JSON or multipart).
    case badRequest(String)
    /// `400`: a retry of a run without failed rows.
    case noFailedRowsToRetry
    /// `401`: no token, or one that matches no stored hash.
    case unauthenticated
    /// `403`: the token lacks the endpoint's scope, or a state-changing request signed in with
    /// the session cookie has no matching `X-CSRF-Token`; the message says which.
    case forbidden(String)
    /// `404`: an unknown or non-integer run id.
    case runNotFound(String)
    /// `404`: an unknown importer slug.
    case importerNotFound(slug: String)
    /// `404`: a failed-rows download of a run without failed rows.
    case noFailedRowsToDownload
    /// `404`, `405`, `408`, `413`, … answered by the HTTP layer itself, passed through unchanged.
    case http(HTTPError)
    /// `409`: cancelling a run that already finished.
    case alreadyFinished(RunStatus)
    /// `409`: any other state conflict reported by the engine (a retry of a running run, a
    /// second retry, an apply or resume of a changed file or definition), with its reason.
    case conflict(String)
    /// `413`: an upload above the importer's `max_size_mb` (or the server default), in bytes.
    case uploadTooLarge(limitBytes: Int)
    /// `413`: another part of an upload form above its limit (a field, a part's headers, the
    /// preamble); the message names which.
    case formPartTooLarge(String)
    /// `415`: a request body that is not `multipart/form-data`.
    case notMultipart
    /// `415`: a file whose format the importer does not accept.
    case unsupportedFormat(found: String, accepted: [String])
    /// `415`: a file whose content is none of the importer's formats; the message says what it is.
    case contentRefused(String, accepted: [String])
    /// `422`: one invalid field, Laravel style.
    case invalid(field: String, message: String)
    /// `503`: the importer's definition has never compiled, so it cannot run.
    case importerBroken(slug: String)
    /// `500`: anything unexpected; the cause goes to the server log, never to the client.
    case server

    /// Maps any thrown error to the API's answer. This is the single mapping table.
    package init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as EngineError:
            self = APIError(engine: error)
        case let error as MultipartError:
            self = APIError(multipart: error)
        case let error as HTTPError:
            self = error.status == .internalServerError ? .server : .http(error)
        default:
            self = .server
        }
    }

    private init(engine error: EngineError) {
        switch error {
        case .importerNotFound(let slug): self = .importerNotFound(slug: slug)
        case .importerBroken(let slug, _): self = .importerBroken(slug: slug)
        case .runNotFound(let id): self = .runNotFound(String(id))
        case .noFailedRows: self = .noFailedRowsToRetry
        case .conflict(let reason): self = .conflict(reason)
        case .unsupportedFormat(let found, let accepted): self = .unsupportedFormat(found: found, accepted: accepted)
        case .contentRefused(let message, let accepted): self = .contentRefused(message, accepted: accepted)
        // Source problems are about the importer's configured source (a relative data-root
        // path, a redacted URL) or the uploaded file; both are the client's to fix.
        case .sourceUnavailable(let message): self = .invalid(field: "source", message: message)
        case .invalidRequest(let message): self = .invalid(field: "importer", message: message)
        case .database: self = .server
        }
    }

    private init(multipart error: MultipartError) {
        switch error {
        case .notMultipart: self = .notMultipart
        case .fileTooLarge(let limit): self = .uploadTooLarge(limitBytes: limit)
        case .fieldTooLarge(let name, let limit):
            let field = name.isEmpty ? "A form field" : "The \(APIError.clipped(name)) field"
            self = .formPartTooLarge("\(field) may not be larger than \(APIError.describe(bytes: limit)).")
        case .partHeadersTooLarge(let limit):
            self = .formPartTooLarge("The headers of a form part may not be larger than \(APIError.describe(bytes: limit)).")
        case .preambleTooLarge(let limit):
            self = .formPartTooLarge("The text before the first multipart boundary may not be larger than \(APIError.describe(bytes: limit)).")
        case .tooManyParts(let limit): self = .badRequest("The upload form may not have more than \(limit) parts.")
        case .invalidBoundary, .malformed, .truncated: self = .badRequest(error.message)
        case .fileSystem: self = .server
        case .body(let error): self = APIError(error)
        }
    }

    /// The response status.
    package var status: HTTPStatus {
        switch self {
        case .badRequest, .noFailedRowsToRetry: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .runNotFound, .importerNotFound, .noFailedRowsToDownload: .notFound
        case .http(let error): error.status
        case .alreadyFinished, .conflict: .conflict
        case .uploadTooLarge, .formPartTooLarge: .contentTooLarge
        case .notMultipart, .unsupportedFormat, .contentRefused: .unsupportedMediaType
        case .invalid: .unprocessableContent
        case .importerBroken: .serviceUnavailable
        case .server: .internalServerError
        }
    }

    /// The client-safe message.
    package var message: String {
        switch self {
        case .badRequest(let message): message
        case .noFailedRowsToRetry: "The original run has no failed rows to retry."
        case .unauthenticated: "Unauthenticated."
        case .forbidden(let message): message
        case .runNotFound(let id): "No ingest run found with the id \(APIError.clipped(id))."
        case .importerNotFound(let slug): "No importer found with the slug '\(APIError.clipped(slug))'."
        case .noFailedRowsToDownload: "No failed rows found for this ingest run."
        case .http(let error): error.message
        case .alreadyFinished(let status): "The ingest run has already finished (\(status.rawValue))."
        case .conflict(let reason): reason
        case .uploadTooLarge(let limit): "The file may not be larger than \(APIError.describe(bytes: limit))."
        case .formPartTooLarge(let message): message
        case .notMultipart: "The request body must be multipart/form-data with a 'file' field."
        case .unsupportedFormat(let found, let accepted):
            EngineError.unsupportedFormatMessage(found: found, accepted: accepted)
        case .contentRefused(let message, _): message
        case .invalid(_, let message): message
        case .importerBroken(let slug):
            "The importer '\(APIError.clipped(slug))' has errors in its definition; see GET /importers/\(APIError.clipped(slug))."
        case .server: "Server Error."
        }
    }

    /// Extra headers: the challenge on `401`, whatever the HTTP layer set (`Allow`, …).
    package var headers: HTTPHeaders {
        switch self {
        case .unauthenticated: ["WWW-Authenticate": "Bearer"]
        case .http(let error): error.headers
        case .importerBroken: ["Retry-After": "5"]
        default: HTTPHeaders()
        }
    }

    /// `{"message": ...}`, plus `errors` for `422` and `accepted_formats` for a format mismatch.
    package func makeResponse() -> HTTPResponse {
        var members: [(String, JSONValue)] = [("message", .string(message))]
        switch self {
        case .invalid(let field, let message):
            members.append(("errors", .object([(field, .array([.string(message)]))])))
        case .unsupportedFormat(_, let accepted), .contentRefused(_, let accepted):
            members.append(("accepted_formats", .array(accepted.map(JSONValue.string))))
        default:
            break
        }
        return .json(.object(members), status: status, headers: headers)
    }

    /// The response for any thrown error, through the mapping above.
    package static func response(for error: any Error) -> HTTPResponse {
        APIError(error).makeResponse()
    }

    /// `422` for a form field or JSON key the endpoint does not take: a misspelt `dry_run` must
    /// be refused, not ignored, or a dry run would import for real.
    static func unknownField(_ name: String, accepted: [String]) -> APIError {
        let shown = clipped(name)
        let list = accepted.count > 1 ? accepted.dropLast().joined(separator: ", ") + " and " + (accepted.last ?? "") : (accepted.first ?? "")
        return .invalid(field: shown, message: "The \(shown.isEmpty ? "unnamed" : shown) field is not accepted; send only \(list).")
    }

    /// `403` for a token without `scope`.
    static func missingScope(_ scope: TokenScope, has scopes: Set<TokenScope>) -> APIError {
        let held = scopes.isEmpty ? "none" : TokenScope.text(scopes)
        return .forbidden("This token lacks the '\(scope.rawValue)' scope (it has: \(held)); "
            + "create one with 'ingest token create --scope \(scope.rawValue)'.")
    }

    /// `403` for a state-changing request signed in by cookie without the session's CSRF token.
    static let csrfMismatch = APIError.forbidden(
        "Missing or wrong X-CSRF-Token header: a state-changing request signed in with the session cookie must send "
            + "the csrf_token that POST /session returned.")

    /// `400` for a token in the URL (`?token=`, `?access_token=`): URLs end up in logs and
    /// browser history, so a token is never accepted there.
    static let tokenInURL = APIError.badRequest(
        "A token is never accepted in the URL: send 'Authorization: Bearer <token>', or sign in with POST /session.")

    /// Client input echoed in a message, cut to a readable length.
    static func clipped(_ text: String) -> String {
        text.count > 100 ? String(text.prefix(100)) + "…" : text
    }

    /// `10 MB` for whole mebibytes, `16 KB` for whole kibibytes, otherwise the byte count.
    static func describe(bytes: Int) -> String {
        let mebibyte = 1 << 20
        if bytes >= mebibyte && bytes % mebibyte == 0 { return "\(bytes / mebibyte) MB" }
        if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes / 1024) KB" }
        return "\(bytes) bytes"
    }
}
