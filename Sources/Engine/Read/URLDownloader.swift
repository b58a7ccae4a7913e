import Definitions
import Foundation
import Outbound

/// Streams an http(s) download to a temp file for a `url` source, through ``OutboundHTTPClient``
/// (libcurl): the host is resolved once and every address it has is checked (loopback, private,
/// link-local and the other internal ranges are refused unless `allowPrivateURLs`), the connection
/// is pinned to the checked addresses, at most five redirects are followed, each checked the same
/// way, the definition's `headers` go to the first URL's origin only, and a timeout (the whole
/// exchange) and a size cap apply.
struct URLDownloader {
    let configuration: EngineConfiguration
    let client: OutboundHTTPClient
    static let maxRedirects = 5

    struct Downloaded { let path: String; let fileName: String }

    init(configuration: EngineConfiguration) {
        self.configuration = configuration
        let policy = AddressPolicy(allowedHosts: configuration.allowedURLHosts, allowInternal: configuration.allowPrivateURLs)
        client = OutboundHTTPClient(policy: policy, maxRedirects: Self.maxRedirects)
    }

    /// The URL if it may be downloaded now: http(s), an allowed host, only public addresses.
    func validate(_ address: String) throws(EngineError) -> OutboundURL {
        do throws(OutboundError) {
            let url = try OutboundURL(address)
            _ = try client.policy.admit(url)
            return url
        } catch {
            throw Self.engineError(error, address: address, timeout: 0)
        }
    }

    /// Downloads `address` into the uploads folder; the caller removes the file when done.
    func download(_ address: String, headers: [String: String], timeout: Double, maxBytes: Int64) throws(EngineError) -> Downloaded {
        let target = try configuration.newUploadPath(prefix: "download-")
        do throws(OutboundError) {
            let sink = try FileSink(creating: target)
            defer { sink.close() }
            _ = try client.get(address, headers: headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) },
                                          timeout: .seconds(timeout), maxBodyBytes: maxBytes, into: sink)
            return Downloaded(path: target, fileName: Self.fileName(of: address))
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw Self.engineError(error, address: address, timeout: timeout)
        }
    }

    /// Downloads the file of a `url`, `ftp`, `ftps` or `sftp` source (`address` is the one the
    /// run recorded) into the uploads folder; the caller removes the file when done.
    func download(_ address: String, source: SourceSpec, maxBytes: Int64) throws(EngineError) -> Downloaded {
        if source.type.isRemoteFile {
            return try RemoteFileDownloader(configuration: configuration).download(source, maxBytes: maxBytes)
        }
        return try download(address, headers: source.httpHeaders, timeout: source.timeoutSeconds ?? 60, maxBytes: maxBytes)
    }

    /// The last path segment of the URL as given (not of a redirect target), or `download`.
    static func fileName(of address: String) -> String {
        (try? OutboundURL(address))?.lastPathComponent ?? "download"
    }

    /// The engine's wording for a refused or failed download.
    static func engineError(_ error: OutboundError, address: String, timeout: Double) -> EngineError {
        switch error {
        case .malformedURL, .unsupportedScheme: return .invalidRequest("source.url must be an http or https address.")
        case .missingHost: return .invalidRequest("source.url has no host.")
        case .httpStatus(let code): return .sourceUnavailable("The download answered HTTP \(code).")
        case .tooLarge(let limit): return .sourceUnavailable("The download is larger than the limit of \(limit) bytes.")
        case .timedOut:
            let shown = (try? OutboundURL(address))?.redacted ?? "the source URL"
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            return .sourceUnavailable("Downloading \(shown) timed out after \(seconds) s.")
        case .transfer(let message): return .sourceUnavailable("The download failed: \(message)")
        default: return .sourceUnavailable(error.description)
        }
    }
}

extension EngineConfiguration {
    /// A new, unused file path in the uploads folder (created if needed).
    func newUploadPath(prefix: String = "") throws(EngineError) -> String {
        do { try FileManager.default.createDirectory(atPath: uploadsDirectory, withIntermediateDirectories: true) } catch {
            throw .sourceUnavailable("Cannot create the uploads folder.")
        }
        return (uploadsDirectory as NSString).appendingPathComponent(prefix + UUID().uuidString.lowercased())
    }
}
