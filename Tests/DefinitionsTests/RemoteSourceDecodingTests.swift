import Foundation
import Testing
@testable import Definitions

@Suite("Decoding ftp, ftps and sftp sources")
struct RemoteSourceDecodingTests {
    static func source(_ members: String) -> SourceSpec? {
        TestFixtures.load(#"{"source": {\#(members)}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#).definition?.source
    }

    @Test("an sftp source keeps its server, login and host key; the fingerprint in any of its three spellings is the same 32 bytes")
    func sftpFingerprints() throws {
        let digest = (0..<32).map { UInt8($0 * 7 % 256) }
        let base64 = Data(digest).base64EncodedString()
        let hex = digest.map { String(format: "%02x", $0) }
        for spelling in ["SHA256:" + base64.replacingOccurrences(of: "=", with: ""), base64, hex.joined(), hex.joined(separator: ":").uppercased()] {
            let spec = try #require(Self.source(#""type": "sftp", "host": "erp.example.com", "path": "/out/stock.csv", "username": "ingest", "private_key_path": "keys/id", "host_key_sha256": "\#(spelling)""#), "\(spelling)")
            #expect(spec.remote.hostKeySHA256 == digest, "\(spelling)")
            #expect(spec.type == .sftp && spec.remote.host == "erp.example.com" && spec.path == "/out/stock.csv")
            #expect(spec.remote.username == "ingest" && spec.remote.privateKeyPath == "keys/id" && spec.remote.port == nil)
        }
    }

    @Test("an ftp source: port, passive, password variable; an IPv6 host")
    func ftpSource() throws {
        let spec = try #require(Self.source(#""type": "ftps", "host": "2001:db8::7", "port": 2121, "path": "in/x.csv", "username": "u", "password_env": "INGEST_SECRET_ERP_1", "passive": false, "ca_path": "ca.pem", "timeout_s": 5, "max_size_mb": 2"#))
        #expect(spec.remote == RemoteFileOptions(host: "2001:db8::7", port: 2121, username: "u", passwordEnv: "INGEST_SECRET_ERP_1", passive: false, caPath: "ca.pem"))
        #expect(spec.timeoutSeconds == 5 && spec.maxSizeMB == 2)
    }

    @Test("SecretEnvironment: the INGEST_SECRET_ prefix and upper-case letters, digits, '_' after it")
    func secretNames() {
        #expect(SecretEnvironment.isAllowed("INGEST_SECRET_FTP_PASSWORD"))
        #expect(SecretEnvironment.isAllowed("INGEST_SECRET_9"))
        for refused in ["HOME", "INGEST_SECRET_", "INGEST_SECRET_lower", "INGEST_SECRET_A-B", "ingest_secret_A", "INGEST_DATABASE"] {
            #expect(!SecretEnvironment.isAllowed(refused), "\(refused)")
        }
    }
}
