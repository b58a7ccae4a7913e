import Definitions
import Foundation
import Outbound

/// Fetches the file of an `ftp`, `ftps` (FTP with explicit TLS) or `sftp` source into the uploads
/// folder, through ``OutboundFileClient`` (libcurl) under the policy of `url` sources: the host is
/// resolved once and each of its addresses checked (internal ones refused unless
/// `allowPrivateURLs`, the `INGEST_ALLOWED_URL_HOSTS` allow-list applies), the connection pinned to
/// them, the whole transfer bounded by `timeout_s` and the file by the size cap.
///
/// The password comes from the environment variable `password_env` names (an `INGEST_SECRET_…`
/// one) when the transfer starts; it is handed to libcurl only, and removed from any message
/// that could echo it, so runs and logs never hold it.
struct RemoteFileDownloader {
    let configuration: EngineConfiguration
    let client: OutboundFileClient
    let environment: [String: String]

    init(configuration: EngineConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configuration = configuration
        self.environment = environment
        client = OutboundFileClient(policy: AddressPolicy(allowedHosts: configuration.allowedURLHosts, allowInternal: configuration.allowPrivateURLs))
    }

    /// The address a run records and messages show: `scheme://host:port/path`, never a user or password.
    static func address(of source: SourceSpec) throws(EngineError) -> OutboundURL {
        guard let host = source.remote.host, let path = source.path else { throw .invalidRequest("The importer has no source.host or source.path.") }
        let scheme = source.type == .sftp ? "sftp" : "ftp"
        let port = source.remote.port ?? (source.type == .sftp ? 22 : 21)
        do { return try OutboundFileClient.url(scheme: scheme, host: host, port: port, path: path) } catch {
            throw .invalidRequest("source.host and source.path do not make a valid \(scheme) address.")
        }
    }

    /// How runs and messages show the file: `ftps://host:port/path` (the path as the definition
    /// gives it), never a user or password.
    static func shown(_ source: SourceSpec) -> String {
        let host = source.remote.host ?? ""
        let port = source.remote.port ?? (source.type == .sftp ? 22 : 21)
        let path = source.path ?? ""
        return "\(source.type.rawValue)://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path.hasPrefix("/") ? "" : "/")\(path)"
    }

    /// Refuses now what would fail the transfer for sure: a refused host (scheme, allow-list,
    /// internal address, no address) and a login that cannot be made (an unset variable, an
    /// unreadable key or known_hosts file). Returns the address to record (``shown(_:)``).
    func validate(_ source: SourceSpec) throws(EngineError) -> String {
        let url = try Self.address(of: source)
        _ = try login(for: source)
        do { _ = try client.admit(url) } catch { throw Self.engineError(error, shown: Self.shown(source), timeout: 0, secret: nil) }
        return Self.shown(source)
    }

    /// Downloads the source's file; the caller removes the file when done.
    func download(_ source: SourceSpec, maxBytes: Int64) throws(EngineError) -> URLDownloader.Downloaded {
        let url = try Self.address(of: source)
        let login = try login(for: source)
        let timeout = source.timeoutSeconds ?? 60
        let target = try configuration.newUploadPath(prefix: "download-")
        do throws(OutboundError) {
            let sink = try FileSink(creating: target)
            defer { sink.close() }
            try client.download(url, login: login, timeout: .seconds(timeout), maxBodyBytes: maxBytes, into: sink)
            return URLDownloader.Downloaded(path: target, fileName: url.lastPathComponent ?? "download")
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw Self.engineError(error, shown: Self.shown(source), timeout: timeout, secret: login.password)
        }
    }

    /// The login from the definition and the environment: the password is read here, at the
    /// last moment, from the variable `password_env` names.
    func login(for source: SourceSpec) throws(EngineError) -> RemoteFileLogin {
        let remote = source.remote
        var login = RemoteFileLogin(username: remote.username, privateKeyPath: remote.privateKeyPath, passive: remote.passive,
                                    explicitTLS: source.type == .ftps, caPath: remote.caPath,
                                    hostKeySHA256: remote.hostKeySHA256, knownHostsPath: remote.knownHostsPath)
        if let name = remote.passwordEnv {
            guard let password = environment[name], !password.isEmpty else {
                throw .sourceUnavailable("The environment variable \(name) (source.password_env) is not set or empty.")
            }
            login.password = password
        } else if source.type != .sftp && remote.username == nil {
            login.username = "anonymous"
        }
        for (key, path) in [("private_key_path", remote.privateKeyPath), ("known_hosts_path", remote.knownHostsPath), ("ca_path", remote.caPath)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw .sourceUnavailable("The file '\(path)' (source.\(key)) does not exist or cannot be read.")
            }
        }
        return login
    }

    /// The engine's wording for a refused or failed transfer, naming the file by its address,
    /// with any echo of the password removed.
    static func engineError(_ error: OutboundError, shown: String, timeout: Double, secret: String?) -> EngineError {
        let message: String
        switch error {
        case .unresolvable, .internalAddress, .hostNotAllowed, .unsupportedScheme: message = "\(shown): \(error.description)"
        case .tooLarge(let limit): message = "The file \(shown) is larger than the limit of \(limit) bytes."
        case .remoteFileNotFound:
            // FTP answers 550 to RETR both for a missing file and one the login may not read.
            message = "The file \(shown) does not exist on the server, or the login may not read it."
        case .timedOut:
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            message = "Downloading \(shown) timed out after \(seconds) s."
        default: message = "Downloading \(shown) failed: \(error.description)"
        }
        guard let secret, secret.count >= 3 else { return .sourceUnavailable(message) }
        return .sourceUnavailable(message.replacingOccurrences(of: secret, with: "***"))
    }
}
