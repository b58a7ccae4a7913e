import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The libcurl options of an FTP, FTPS or SFTP transfer, and the errors it ends with.
enum RemoteFileOptions {
    static func apply(_ login: RemoteFileLogin, options: Options, state: TransferState) throws(OutboundError) {
        if let username = login.username { try options.string(CURLOPT_USERNAME, username) }
        if let password = login.password { try options.string(CURLOPT_PASSWORD, password) }
        // Data connections go to the control connection's (checked) address, whatever PASV says.
        try options.long(CURLOPT_FTP_SKIP_PASV_IP, 1)
        if !login.passive { try options.string(CURLOPT_FTPPORT, "-") }
        if login.explicitTLS {
            try options.long(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            if let ca = login.caPath { try options.string(CURLOPT_CAINFO, ca) }
        }
        if state.usesSSH { try applySSH(login, options: options, state: state) }
    }

    private static func applySSH(_ login: RemoteFileLogin, options: Options, state: TransferState) throws(OutboundError) {
        if let key = login.privateKeyPath {
            try options.long(CURLOPT_SSH_AUTH_TYPES, Int(CURLSSH_AUTH_PUBLICKEY))
            try options.string(CURLOPT_SSH_PRIVATE_KEYFILE, key)
        } else {
            try options.long(CURLOPT_SSH_AUTH_TYPES, Int(CURLSSH_AUTH_PASSWORD))
        }
        if let digest = login.hostKeySHA256 {
            try options.string(CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, base64(digest))
        }
        if let knownHosts = login.knownHostsPath {
            try options.string(CURLOPT_SSH_KNOWNHOSTS, knownHosts)
            try options.check(ccurl_setopt_strict_known_hosts(options.handle, state.knownHostMatch), "CURLOPT_SSH_KEYFUNCTION")
        }
        guard login.hostKeySHA256 != nil || login.knownHostsPath != nil else {
            throw .transfer("An sftp transfer needs the server's host key fingerprint or a known_hosts file.")
        }
    }

    /// The error for a failed FTP/SFTP transfer, when it is one of the kinds named here.
    static func error(_ code: CURLcode, state: TransferState, message: String) -> OutboundError? {
        switch code {
        case CURLE_LOGIN_DENIED: return .loginDenied
        case CURLE_REMOTE_FILE_NOT_FOUND: return .remoteFileNotFound
        case CURLE_FILESIZE_EXCEEDED: return .tooLarge(limit: state.maxBodyBytes)
        case CURLE_REMOTE_ACCESS_DENIED: return .remoteAccessDenied
        case CURLE_COULDNT_CONNECT:
            let number = Int32(PinnedTransfer.getLong(state.handle, CURLINFO_OS_ERRNO))
            return .connectFailed(number == 0 ? message : String(cString: strerror(number)).lowercased())
        default: break
        }
        guard state.usesSSH else { return nil }
        switch state.knownHostMatch.pointee {
        case Int32(CURLKHMATCH_MISMATCH.rawValue): return .hostKeyRejected("its key differs from the one the known_hosts file lists")
        case Int32(CURLKHMATCH_MISSING.rawValue): return .hostKeyRejected("the known_hosts file does not list it")
        default: break
        }
        if message.contains("sha256 fingerprint") { return .hostKeyRejected("its SHA-256 fingerprint is not host_key_sha256") }
        return nil
    }

    /// Standard base64 with padding: the form libcurl compares host key fingerprints in.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
