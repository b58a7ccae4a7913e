/// How an FTP, FTPS or SFTP transfer logs in and checks the server, beyond its URL. The password
/// is handed to libcurl as an option (never in the URL) and appears in no description.
package struct RemoteFileLogin: Sendable {
    package var username: String?
    package var password: String?
    /// `sftp`: the private key file (public-key login instead of a password).
    package var privateKeyPath: String?
    /// `ftp`, `ftps`: passive mode. Active mode listens on the control connection's local address.
    package var passive: Bool
    /// `ftp` only: require TLS on the control and data connections (`AUTH TLS`, explicit FTPS).
    package var explicitTLS: Bool
    /// `ftps`: a PEM file of the authorities to trust instead of the system's.
    package var caPath: String?
    /// `sftp`: the SHA-256 digest (32 bytes) the server's host key must have.
    package var hostKeySHA256: [UInt8]?
    /// `sftp`: an OpenSSH known_hosts file that must list the server's key.
    package var knownHostsPath: String?

    package init(username: String? = nil, password: String? = nil, privateKeyPath: String? = nil, passive: Bool = true,
                 explicitTLS: Bool = false, caPath: String? = nil, hostKeySHA256: [UInt8]? = nil, knownHostsPath: String? = nil) {
        self.username = username; self.password = password; self.privateKeyPath = privateKeyPath; self.passive = passive
        self.explicitTLS = explicitTLS; self.caPath = caPath; self.hostKeySHA256 = hostKeySHA256; self.knownHostsPath = knownHostsPath
    }
}

/// Downloads one file over FTP, FTPS (explicit TLS) or SFTP, under an ``AddressPolicy`` like
/// ``OutboundHTTPClient``: the host is resolved once, every address checked, the connection
/// pinned to them (FTP data connections included: libcurl is told to ignore the address a
/// `PASV` reply names and use the control connection's). An SFTP server whose host key is not
/// the one given (fingerprint or known_hosts) is refused before the login is sent.
package struct OutboundFileClient: Sendable {
    package var policy: AddressPolicy

    /// `policy.schemes` is replaced by `ftp` and `sftp`.
    package init(policy: AddressPolicy) {
        var policy = policy
        policy.schemes = ["ftp", "sftp"]
        self.policy = policy
    }

    /// The URL of `path` on `host`: `ftp://host:port/path` or `sftp://host:port/path`. A path with a
    /// leading `/` is absolute; any other is relative to the login (FTP) or home (SFTP) directory.
    package static func url(scheme: String, host: String, port: Int, path: String) throws(OutboundError) -> OutboundURL {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var encoded = path.split(separator: "/", omittingEmptySubsequences: false).map { percentEncoded(String($0)) }.joined(separator: "/")
        if path.hasPrefix("/") {
            // FTP: `%2F` starts at the root; SFTP paths after the host are absolute already.
            encoded = scheme == "ftp" ? "/%2F" + encoded.dropFirst() : encoded
        } else {
            encoded = (scheme == "sftp" ? "/~/" : "/") + encoded
        }
        return try OutboundURL("\(scheme)://\(shownHost):\(port)\(encoded)")
    }

    /// Checks and resolves `url` now (scheme, allow-list, internal addresses), without connecting.
    package func admit(_ url: OutboundURL) throws(OutboundError) -> [IPAddress] {
        try policy.admit(url)
    }

    /// Streams the file at `url` into `sink`; more than `maxBodyBytes` aborts with ``OutboundError/tooLarge(limit:)``.
    package func download(_ url: OutboundURL, login: RemoteFileLogin, timeout: Duration, maxBodyBytes: Int64,
                          into sink: any BodySink) throws(OutboundError) {
        let addresses = try policy.admit(url)
        var request = PinnedRequest(url: url, addresses: addresses, deadline: ContinuousClock.now + timeout, maxBodyBytes: maxBodyBytes)
        request.protocols = url.scheme
        request.login = login
        _ = try PinnedTransfer.perform(request, into: sink)
    }

    /// RFC 3986 `pchar` without `/`: unreserved and sub-delimiters stay, every other byte is `%XX`.
    static func percentEncoded(_ segment: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@".utf8)
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in segment.utf8 {
            if kept.contains(byte) { out.append(byte) } else { out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
