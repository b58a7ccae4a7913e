/// Why an outbound fetch was refused or failed. Descriptions are complete sentences for operators.
package enum OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a URL libcurl can parse.
    case malformedURL(String)
    /// A scheme other than the allowed ones (`http`, `https`).
    case unsupportedScheme(String)
    /// The URL has no host.
    case missingHost
    /// The host is not in the configured allow-list.
    case hostNotAllowed(host: String)
    /// The host name has no address (or the resolver failed); such names are refused.
    case unresolvable(host: String, reason: String)
    /// One of the host's addresses is internal (loopback, private, …).
    case internalAddress(host: String, address: String, range: String)
    /// libcurl tried to connect to an address that was not checked (it never should).
    case unexpectedAddress(String)
    /// A header value with CR, LF or NUL, or an invalid name.
    case invalidHeader(String)
    /// A redirect hop failed the checks; `reason` says which.
    indirect case redirectRefused(OutboundError)
    case tooManyRedirects(limit: Int)
    /// The final response was not 2xx (or a 3xx without a usable Location).
    case httpStatus(Int)
    /// The body exceeded the cap (bytes).
    case tooLarge(limit: Int64)
    /// The whole exchange, redirects included, took longer than the timeout.
    case timedOut
    /// A transport failure: libcurl's message.
    case transfer(String)
    /// Writing the body locally failed.
    case io(String)
    /// FTP/SFTP: the server refused the user name, password or key.
    case loginDenied
    /// FTP/SFTP: the file does not exist on the server.
    case remoteFileNotFound
    /// FTP/SFTP: the server refused access to the file or its folder.
    case remoteAccessDenied
    /// No connection could be made (refused, unreachable): the system's reason.
    case connectFailed(String)
    /// SFTP: the server's host key is not the expected one; the reason says how.
    case hostKeyRejected(String)

    package var description: String {
        switch self {
        case .malformedURL(let text): return "'\(text)' is not a valid URL."
        case .unsupportedScheme(let scheme): return "The scheme '\(scheme)' is not allowed; use http or https."
        case .missingHost: return "The URL has no host."
        case .hostNotAllowed(let host): return "The host '\(host)' is not in the allowed URL hosts."
        case .unresolvable(let host, let reason):
            return "The host '\(host)' does not resolve (\(reason)); names without an address are refused."
        case .internalAddress(let host, let address, let range):
            return "The host '\(host)' resolves to an internal address (\(address), \(range)); internal addresses are refused."
        case .unexpectedAddress(let address): return "The connection to \(address) was refused: it is not an address that was checked."
        case .invalidHeader(let name): return "The header '\(name)' has an invalid name or value."
        case .redirectRefused(let reason): return "Redirect refused: \(reason.description)"
        case .tooManyRedirects(let limit): return "Too many redirects (more than \(limit))."
        case .httpStatus(let code): return "The server answered HTTP \(code)."
        case .tooLarge(let limit): return "The response is larger than the limit of \(limit) bytes."
        case .timedOut: return "The request timed out."
        case .transfer(let message): return "The transfer failed: \(message)"
        case .io(let message): return "Writing the response failed: \(message)"
        case .loginDenied: return "The server refused the login (user name, password or key)."
        case .remoteFileNotFound: return "The file does not exist on the server."
        case .remoteAccessDenied: return "The server refused access to the file."
        case .connectFailed(let reason): return "Could not connect to the server: \(reason)."
        case .hostKeyRejected(let reason): return "The server's host key was refused: \(reason)."
        }
    }
}
