import Foundation
import Testing

/// Issue 13, item 5: `ftp`, `ftps` and `sftp` sources against real servers on loopback (pyftpdlib
/// and OpenSSH's sshd, started by each test), through `ingest run` and through `POST /trigger`
/// on `ingest serve`. The first three carry the names of Laravel Ingest's FtpHandlerTest cases.
@Suite("FTP and SFTP sources")
struct RemoteSourceTests {
    static let secret = "s3cret-Pa55word"
    static let secretEnvironment = ["INGEST_SECRET_FTP_PASSWORD": secret]
    static let productsCSV = "sku,name\nFTP001,FTP Product\n"

    /// A definition importing `sku,name` files from `source` (the JSON members of `source`).
    static func definition(_ source: String) -> String {
        """
        { "name": "ERP", "source": { \(source), "timeout_s": 20 },
          "target": { "table": "products", "key": ["sku"] },
          "columns": { "sku": { "from": "sku", "rules": "required" }, "name": { "from": "name" } } }
        """
    }

    static func ftpSource(port: Int, path: String = "/products.csv", user: String = "testuser", type: String = "ftp", extra: String = "") -> String {
        definition("""
            "type": "\(type)", "host": "127.0.0.1", "port": \(port), "path": "\(path)", "username": "\(user)",
            "password_env": "INGEST_SECRET_FTP_PASSWORD"\(extra)
            """)
    }

    /// A fixture with an FTP home holding products.csv, and a pyftpdlib serving it to `testuser`
    /// (read permission) and `noread` (may list, may not retrieve).
    static func ftpFixture(tls: Bool = false) throws -> (ProcessFixture, FTPTestServer) {
        let f = try ProcessFixture(importers: [:])
        try f.write(productsCSV, to: "ftp-home/products.csv")
        let certificate = tls ? try FTPTestServer.certificate(in: f.root) : nil
        let server = try FTPTestServer(home: f.root + "/ftp-home",
                                       users: ["testuser": (secret, "elr"), "noread": (secret, "el")],
                                       tlsCertificate: certificate, in: f.root)
        return (f, server)
    }

    /// `ingest run erp --allow-private-urls` with the password in the environment; the run's JSON.
    static func run(_ f: ProcessFixture, allowPrivate: Bool = true, environment: [String: String] = secretEnvironment)
        throws -> (status: Int32, stdout: String, stderr: String, run: JSONRun?) {
        let result = try f.ingest(["run", "erp", "--json"] + (allowPrivate ? ["--allow-private-urls"] : []), environment: environment)
        let run = try? JSONRun(result.stdout)
        return (result.status, result.stdout, result.stderr, run)
    }

    /// Everything a run leaves behind that a user or operator can read, for the secret check.
    static func everythingShown(_ f: ProcessFixture, outputs: [String]) throws -> String {
        let rows = try f.query("SELECT * FROM ingest_runs").map { $0.map { "\($0)" }.joined(separator: " ") }
        let statuses = try (1...max(1, try f.count("ingest_runs"))).map { try f.ingest(["status", String($0), "--json"]).stdout }
        return (outputs + rows + statuses).joined(separator: "\n")
    }

    // MARK: - The peer's FtpHandlerTest

    @Test("can read a file from an ftp source")
    func readsFromFTP() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: server.port), to: "importers/erp.json")
        let result = try Self.run(f)
        #expect(result.status == 0, "\(result.stderr) \(server.server.log)")
        #expect(result.run?.status == "completed")
        #expect(try f.scalar("SELECT COUNT(*) FROM products WHERE sku = 'FTP001' AND name = 'FTP Product'") == 1)
        // The downloaded copy belongs to the run and is removed once the run cannot need it.
        let uploads = (try? FileManager.default.contentsOfDirectory(atPath: f.database + "-uploads")) ?? []
        #expect(uploads.isEmpty, "\(uploads)")
        #expect(!(try Self.everythingShown(f, outputs: [result.stdout, result.stderr])).contains(Self.secret))
    }

    @Test("throws exception if ftp file does not exist")
    func missingFTPFile() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: server.port, path: "/missing.csv"), to: "importers/erp.json")
        let result = try Self.run(f)
        #expect(result.status == 1)
        #expect(result.run?.status == "failed")
        #expect(result.run?.failureReason.contains("The file ftp://127.0.0.1:\(server.port)/missing.csv does not exist on the server") == true,
                "\(result.stdout)")
        #expect(try f.count("products") == 0)
    }

    @Test("throws exception when ftp stream cannot be opened")
    func unreadableFTPFile() throws {
        let (f, server) = try Self.ftpFixture()
        // The file exists and is listed, but this login may not retrieve it: RETR answers 550.
        try f.write(Self.ftpSource(port: server.port, user: "noread"), to: "importers/erp.json")
        let result = try Self.run(f)
        #expect(result.status == 1)
        #expect(result.run?.failureReason.contains("products.csv does not exist on the server, or the login may not read it") == true,
                "\(result.stdout)")
        #expect(try f.count("products") == 0)
    }

    // MARK: - FTP: errors, guards, modes

    @Test("ftp: a wrong password fails the run as a refused login, and no password is shown anywhere")
    func ftpLoginRefused() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: server.port), to: "importers/erp.json")
        let wrong = "Wr0ng-password-9"
        let result = try Self.run(f, environment: ["INGEST_SECRET_FTP_PASSWORD": wrong])
        #expect(result.status == 1)
        #expect(result.run?.failureReason.contains("The server refused the login") == true, "\(result.stdout)")
        let shown = try Self.everythingShown(f, outputs: [result.stdout, result.stderr])
        #expect(!shown.contains(wrong) && !shown.contains(Self.secret))
    }

    @Test("ftp: the password variable must be set, and only INGEST_SECRET_ variables can be named")
    func ftpPasswordVariable() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: server.port), to: "importers/erp.json")
        let unset = try Self.run(f, environment: [:])
        #expect(unset.status == 1)
        #expect(unset.stderr.contains("The environment variable INGEST_SECRET_FTP_PASSWORD (source.password_env) is not set or empty."), "\(unset.stderr)")
        #expect(try f.count("ingest_runs") == 0)
        try f.write(Self.ftpSource(port: server.port).replacingOccurrences(of: "INGEST_SECRET_FTP_PASSWORD", with: "HOME"), to: "importers/erp.json")
        let check = try f.ingest(["check"])
        #expect(check.status != 0)
        #expect((check.stdout + check.stderr).contains("'HOME' may not be named here: a definition may name only environment variables starting with INGEST_SECRET_"), "\(check.stdout) \(check.stderr)")
    }

    @Test("ftp: loopback needs --allow-private-urls, the host allow-list applies, and an unknown host or a closed port fail clearly")
    func ftpAddressPolicy() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: server.port), to: "importers/erp.json")
        let refused = try Self.run(f, allowPrivate: false)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("resolves to an internal address (127.0.0.1, loopback); internal addresses are refused"), "\(refused.stderr)")
        let offList = try f.ingest(["run", "erp", "--allow-private-urls"],
                                   environment: Self.secretEnvironment.merging(["INGEST_ALLOWED_URL_HOSTS": "ftp.example.com"]) { $1 })
        #expect(offList.status == 1)
        #expect(offList.stderr.contains("The host '127.0.0.1' is not in the allowed URL hosts."), "\(offList.stderr)")
        #expect(try f.count("ingest_runs") == 0)

        try f.write(Self.ftpSource(port: server.port).replacingOccurrences(of: "127.0.0.1", with: "no-such-host.invalid"), to: "importers/erp.json")
        let unknown = try Self.run(f)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("The host 'no-such-host.invalid' does not resolve"), "\(unknown.stderr)")

        try f.write(Self.ftpSource(port: try SFTPTestServer.freePort()), to: "importers/erp.json")
        let closed = try Self.run(f)
        #expect(closed.status == 1)
        #expect(closed.run?.failureReason.contains("Could not connect to the server: connection refused.") == true, "\(closed.stdout)")
    }

    @Test("ftp: a file over max_size_mb fails the run and leaves no partial file")
    func ftpTooLarge() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write("sku,name\n" + String(repeating: "S-1,Item\n", count: 150_000), to: "ftp-home/big.csv")
        try f.write(Self.ftpSource(port: server.port, path: "/big.csv", extra: #", "max_size_mb": 1"#), to: "importers/erp.json")
        let result = try Self.run(f)
        #expect(result.status == 1)
        #expect(result.run?.failureReason.contains("big.csv is larger than the limit of 1048576 bytes") == true, "\(result.stdout)")
        let uploads = (try? FileManager.default.contentsOfDirectory(atPath: f.database + "-uploads")) ?? []
        #expect(uploads.isEmpty, "\(uploads)")
    }

    @Test("ftp: active mode (passive false) and a path relative to the login directory")
    func ftpActiveMode() throws {
        let (f, server) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: server.port, path: "products.csv", extra: #", "passive": false"#), to: "importers/erp.json")
        let result = try Self.run(f)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(try f.count("products") == 1)
    }

    @Test("ftps: explicit TLS against the server's certificate; an unknown certificate and a server without TLS are refused")
    func ftpsExplicitTLS() throws {
        let (f, server) = try Self.ftpFixture(tls: true)
        let ca = f.root + "/ftps.crt"
        try f.write(Self.ftpSource(port: server.port, type: "ftps", extra: #", "ca_path": "\#(ca)""#), to: "importers/erp.json")
        let trusted = try Self.run(f)
        #expect(trusted.status == 0, "\(trusted.stdout) \(trusted.stderr) \(server.server.log)")
        #expect(try f.count("products") == 1)

        try f.write(Self.ftpSource(port: server.port, type: "ftps"), to: "importers/erp.json")
        let untrusted = try Self.run(f)
        #expect(untrusted.status == 1)
        #expect(untrusted.run?.failureReason.contains("certificate") == true, "\(untrusted.stdout)")

        let (plainFixture, plain) = try Self.ftpFixture()
        try plainFixture.write(Self.ftpSource(port: plain.port, type: "ftps", extra: #", "ca_path": "\#(ca)""#), to: "importers/erp.json")
        let noTLS = try Self.run(plainFixture)
        #expect(noTLS.status == 1)
        #expect(noTLS.run?.failureReason.contains("Downloading ftps://127.0.0.1:\(plain.port)/products.csv failed") == true, "\(noTLS.stdout)")
        #expect(try plainFixture.count("products") == 0)
    }

    @Test("ftp through the API: POST /trigger downloads, imports and records failures; no response shows the password")
    func ftpThroughAPI() throws {
        let (f, ftp) = try Self.ftpFixture()
        try f.write(Self.ftpSource(port: ftp.port), to: "importers/erp.json")
        try f.write(Self.ftpSource(port: ftp.port, path: "/missing.csv"), to: "importers/erp-missing.json")
        f.environment = Self.secretEnvironment
        let api = try ServerProcess(f, extra: ["--allow-private-urls"])
        let token = try ServerProcess.token(f)
        let triggered = try api.post("/trigger/erp", token: token)
        #expect(triggered.status == 202 || triggered.status == 201, "\(triggered.status) \(triggered.text)")
        let id = try #require(triggered.data?.int("id") ?? triggered.data?.int("run_id"))
        let finished = try api.waitUntilFinished(Int64(id), token: token)
        #expect(finished.string("status") == "completed", "\(finished)")
        #expect(try f.count("products") == 1)

        let second = try api.post("/trigger/erp-missing", token: token)
        let failedID = try #require(second.data?.int("id") ?? second.data?.int("run_id"))
        let failed = try api.waitUntilFinished(Int64(failedID), token: token)
        #expect(failed.string("status") == "failed")
        #expect(failed.string("failure_reason")?.contains("missing.csv does not exist on the server") == true, "\(failed)")
        let shown = [triggered.text, second.text, try api.get("/\(id)", token: token).text, try api.get("/\(failedID)", token: token).text,
                     try api.get("/importers/erp", token: token).text, try api.get("", token: token).text, api.process.stderr, api.process.stdout]
        #expect(!shown.joined().contains(Self.secret))
    }

    @Test("the documented FTPS example imports its data file (host and port pointed at a local server)")
    func documentedExample() throws {
        let (f, server) = try Self.ftpFixture(tls: true)
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/remote")
        let definition = try String(contentsOf: examples.appendingPathComponent("erp-stock-ftp.json"), encoding: .utf8)
        try f.write(try String(contentsOf: examples.appendingPathComponent("stock.csv"), encoding: .utf8), to: "ftp-home/exports/stock.csv")
        let local = #""host": "127.0.0.1", "port": \#(server.port), "ca_path": "\#(f.root)/ftps.crt""#
        try f.write(definition.replacingOccurrences(of: #""host": "erp.example.com""#, with: local)
            .replacingOccurrences(of: #""username": "ingest""#, with: #""username": "testuser""#), to: "importers/erp-stock-ftp.json")
        let result = try f.ingest(["run", "erp-stock-ftp", "--allow-private-urls"], environment: ["INGEST_SECRET_ERP_FTP_PASSWORD": Self.secret])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(try f.scalar("SELECT SUM(stock) FROM stock") == 155)
        #expect(try f.count("stock") == 3)
    }

    // MARK: - SFTP

    static func sftpFixture() throws -> (ProcessFixture, SFTPTestServer) {
        let f = try ProcessFixture(importers: [:])
        try f.write(productsCSV, to: "sftp-home/products.csv")
        return (f, try SFTPTestServer(in: f.root))
    }

    static func sftpSource(_ f: ProcessFixture, _ server: SFTPTestServer, path: String? = nil, hostCheck: String, key: String? = nil) -> String {
        definition("""
            "type": "sftp", "host": "localhost", "port": \(server.port), "path": "\(path ?? f.root + "/sftp-home/products.csv")",
            "username": "\(server.user)", "private_key_path": "\(key ?? server.userKey)", \(hostCheck)
            """)
    }

    @Test("can read a file from an sftp source, checking the host key's SHA-256 fingerprint")
    func readsFromSFTP() throws {
        let (f, server) = try Self.sftpFixture()
        try f.write(Self.sftpSource(f, server, hostCheck: #""host_key_sha256": "\#(try server.fingerprint())""#), to: "importers/erp.json")
        let result = try Self.run(f, environment: [:])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr) \(server.server.log)")
        #expect(try f.count("products") == 1)
    }

    @Test("sftp: a host key with another fingerprint is refused before logging in")
    func sftpFingerprintMismatch() throws {
        let (f, server) = try Self.sftpFixture()
        let other = "SHA256:" + Data(repeating: 7, count: 32).base64EncodedString().replacingOccurrences(of: "=", with: "")
        try f.write(Self.sftpSource(f, server, hostCheck: #""host_key_sha256": "\#(other)""#), to: "importers/erp.json")
        let result = try Self.run(f, environment: [:])
        #expect(result.status == 1)
        #expect(result.run?.failureReason.contains("The server's host key was refused: its SHA-256 fingerprint is not host_key_sha256.") == true,
                "\(result.stdout)")
        #expect(!server.server.log.contains("Accepted publickey"))
        #expect(try f.count("products") == 0)
    }

    @Test("sftp: a known_hosts file that lists the key passes; a different key or an unlisted host is refused")
    func sftpKnownHosts() throws {
        let (f, server) = try Self.sftpFixture()
        let knownHosts = f.root + "/known_hosts"
        let check = #""known_hosts_path": "\#(knownHosts)""#
        try f.write(Self.sftpSource(f, server, hostCheck: check), to: "importers/erp.json")
        try f.write(try server.knownHostsLine(host: "localhost", publicKey: server.hostPublicKey), to: "known_hosts")
        let listed = try Self.run(f, environment: [:])
        #expect(listed.status == 0, "\(listed.stdout) \(listed.stderr)")

        try f.write(try server.knownHostsLine(host: "localhost", publicKey: server.userKey + ".pub"), to: "known_hosts")
        let other = try Self.run(f, environment: [:])
        #expect(other.run?.failureReason.contains("its key differs from the one the known_hosts file lists") == true, "\(other.stdout)")

        try f.write(try server.knownHostsLine(host: "elsewhere.example", publicKey: server.hostPublicKey), to: "known_hosts")
        let unlisted = try Self.run(f, environment: [:])
        #expect(unlisted.run?.failureReason.contains("the known_hosts file does not list it") == true, "\(unlisted.stdout)")
        #expect(try f.count("products") == 1)
    }

    @Test("sftp: a key the server does not accept is a refused login; a missing file is named")
    func sftpLoginAndMissingFile() throws {
        let (f, server) = try Self.sftpFixture()
        let keygen = try RemoteServerSoftware.onPath("ssh-keygen", package: "Debian openssh-client")
        try RemoteServerSoftware.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-f", f.root + "/stranger"], in: f.root)
        let hostCheck = #""host_key_sha256": "\#(try server.fingerprint())""#
        try f.write(Self.sftpSource(f, server, hostCheck: hostCheck, key: f.root + "/stranger"), to: "importers/erp.json")
        let stranger = try Self.run(f, environment: [:])
        #expect(stranger.status == 1)
        #expect(stranger.run?.failureReason.contains("The server refused the login") == true, "\(stranger.stdout)")

        try f.write(Self.sftpSource(f, server, path: f.root + "/sftp-home/missing.csv", hostCheck: hostCheck), to: "importers/erp.json")
        let missing = try Self.run(f, environment: [:])
        #expect(missing.run?.failureReason.contains("missing.csv does not exist on the server") == true, "\(missing.stdout)")
    }

    @Test("sftp through the API: POST /trigger downloads and imports over a real socket")
    func sftpThroughAPI() throws {
        let (f, server) = try Self.sftpFixture()
        try f.write(Self.sftpSource(f, server, hostCheck: #""host_key_sha256": "\#(try server.fingerprint())""#), to: "importers/erp.json")
        let api = try ServerProcess(f, extra: ["--allow-private-urls"])
        let token = try ServerProcess.token(f)
        let triggered = try api.post("/trigger/erp", token: token)
        let id = try #require(triggered.data?.int("id") ?? triggered.data?.int("run_id"), "\(triggered.text)")
        let finished = try api.waitUntilFinished(Int64(id), token: token)
        #expect(finished.string("status") == "completed", "\(finished)")
        #expect(try f.count("products") == 1)
    }
}
