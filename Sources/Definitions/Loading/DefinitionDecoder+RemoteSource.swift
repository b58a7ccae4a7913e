import Foundation

extension DefinitionDecoder {
    /// The keys of an `ftp`, `ftps` or `sftp` source decoded here (`timeout_s` and `max_size_mb`
    /// are decoded as for the other types).
    enum RemoteKey: String {
        case path, host, port, username
        case passwordEnv = "password_env", privateKeyPath = "private_key_path", passive
        case hostKeySHA256 = "host_key_sha256", knownHostsPath = "known_hosts_path", caPath = "ca_path"
    }

    /// One option of a remote-file source, already checked against the type.
    func decodeRemoteOption(_ key: RemoteKey, _ value: JSONNode, _ pointer: String, into spec: inout SourceSpec) {
        switch key {
        case .path: spec.path = remoteText(value, pointer, what: "path")
        case .host:
            guard let host = string(value, pointer, nonEmpty: true) else { return }
            if Self.isHostName(host) {
                spec.remote.host = host
            } else {
                report("expected a host name or an IP address without brackets, port or user, got '\(host)'", at: pointer, value.position)
            }
        case .port: spec.remote.port = integer(value, pointer, in: 1...65_535)
        case .username: spec.remote.username = remoteText(value, pointer, what: "user name")
        case .passwordEnv:
            // The name itself is checked by `checkEnvironmentNames`, as every `*_env` value is.
            spec.remote.passwordEnv = string(value, pointer, nonEmpty: true)
        case .privateKeyPath: spec.remote.privateKeyPath = remoteText(value, pointer, what: "file path")
        case .knownHostsPath: spec.remote.knownHostsPath = remoteText(value, pointer, what: "file path")
        case .caPath: spec.remote.caPath = remoteText(value, pointer, what: "file path")
        case .passive: if let passive = bool(value, pointer) { spec.remote.passive = passive }
        case .hostKeySHA256:
            guard let text = string(value, pointer, nonEmpty: true) else { return }
            if let digest = Self.sha256Fingerprint(text) {
                spec.remote.hostKeySHA256 = digest
            } else {
                report("expected a SHA-256 host key fingerprint: 'SHA256:' and 43 base64 characters as ssh-keygen -lf prints it, "
                       + "or 64 hex digits, got '\(text)'", at: pointer, value.position)
            }
        }
    }

    /// A login needs a user for a password; `sftp` needs one way to log in (a password or a key,
    /// not both) and one way to check the server (a fingerprint or a known_hosts file).
    func checkRemoteLogin(_ spec: SourceSpec, members: [String: JSONMember], _ pointer: String, _ position: SourcePosition?) {
        if members["password_env"] != nil && members["username"] == nil {
            report("'password_env' needs a 'username'", at: pointer, position)
        }
        guard spec.type == .sftp else { return }
        switch (members["password_env"] != nil, members["private_key_path"] != nil) {
        case (true, true): report("give one of 'password_env' and 'private_key_path', not both", at: pointer, position)
        case (false, false): report("source type 'sftp' needs 'password_env' or 'private_key_path' to log in", at: pointer, position)
        default: break
        }
        switch (members["host_key_sha256"] != nil, members["known_hosts_path"] != nil) {
        case (true, true): report("give one of 'host_key_sha256' and 'known_hosts_path', not both", at: pointer, position)
        case (false, false):
            report("source type 'sftp' needs 'host_key_sha256' or 'known_hosts_path': an unknown host key is refused", at: pointer, position)
        default: break
        }
    }

    /// A non-empty string without control characters (they would end an FTP command).
    private func remoteText(_ value: JSONNode, _ pointer: String, what: String) -> String? {
        guard let text = string(value, pointer, nonEmpty: true) else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            report("the \(what) cannot contain control characters (line breaks, tabs, NUL)", at: pointer, value.position)
            return nil
        }
        return text
    }

    /// Letters, digits, `.`, `-` and `_` (a DNS name), or an IPv6 address (hex digits, `:`, `.`).
    static func isHostName(_ host: String) -> Bool {
        if host.contains(":") {
            return host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
            && !host.hasPrefix(".") && !host.hasPrefix("-")
    }

    /// The 32 bytes of `SHA256:<base64>` (OpenSSH's form, padding optional), bare base64, or 64
    /// hex digits (colons between bytes allowed); nil for anything else.
    static func sha256Fingerprint(_ text: String) -> [UInt8]? {
        var body = text.hasPrefix("SHA256:") ? String(text.dropFirst(7)) : text
        let hex = body.replacingOccurrences(of: ":", with: "")
        if hex.count == 64, hex.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        while body.count % 4 != 0 { body += "=" }
        guard let data = Data(base64Encoded: body), data.count == 32 else { return nil }
        return Array(data)
    }
}
