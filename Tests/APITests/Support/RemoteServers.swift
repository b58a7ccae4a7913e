import Foundation

/// Real FTP, FTPS and SFTP servers on loopback for the remote-source tests, started by the test
/// that needs one and stopped when it is released. Missing server software fails the test with a
/// message naming what to install (`.ci/install-deps` installs all of it); nothing is skipped.
enum RemoteServerSoftware {
    static let sshd = "/usr/sbin/sshd"

    /// `program` found on PATH, or a failure naming the package.
    static func onPath(_ program: String, package: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw FixtureFailure("'\(program)' is not installed (\(package)); run .ci/install-deps")
    }

    /// Runs a helper program to its end (bounded), failing on a non-zero exit.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = directory + "/.helper-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: output, contents: nil) else { throw FixtureFailure("cannot create \(output)") }
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: output)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { process.terminate(); throw FixtureFailure("\(executable) did not finish") }
            usleep(10_000)
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else { throw FixtureFailure("\(executable) \(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }
}

/// A server process whose output goes to a file; killed on release.
///
/// Started with `posix_spawn`, not Foundation's `Process`: sshd closes every descriptor it
/// inherits, which Foundation takes for the child's exit, and its monitor thread then blocks in
/// `wait4` on the still-running sshd, so no other process of the test run is seen to end.
final class ServerUnderTest {
    let pid: pid_t
    let logPath: String
    private var exited = false
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    init(_ executable: String, _ arguments: [String], in directory: String) throws {
        logPath = directory + "/server-\(UUID().uuidString.prefix(8)).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard status == 0 else { throw FixtureFailure("cannot start \(executable): \(String(cString: strerror(status)))") }
        pid = child
    }

    var isRunning: Bool {
        guard !exited else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    /// Waits (bounded) until the log holds a line `matching` returns a value for.
    func waitFor<T>(_ what: String, _ matching: (String) -> T?) throws -> T {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            for line in log.split(separator: "\n") {
                if let found = matching(String(line)) { return found }
            }
            guard isRunning else { throw FixtureFailure("\(what) exited: \(log)") }
            guard ContinuousClock.now < deadline else { throw FixtureFailure("timed out waiting for \(what): \(log)") }
            usleep(10_000)
        }
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }
}

/// pyftpdlib (PyPI) on 127.0.0.1, an ephemeral port, serving `home` to `users` (name → (password,
/// pyftpdlib permissions)); with `tlsCertificate`, FTPS with explicit TLS required on both channels.
final class FTPTestServer {
    let server: ServerUnderTest
    let port: Int

    static let script = """
        import json, sys
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.servers import FTPServer
        config = json.load(open(sys.argv[1]))
        authorizer = DummyAuthorizer()
        for name, (password, perm) in config["users"].items():
            authorizer.add_user(name, password, config["home"], perm=perm)
        if config.get("cert"):
            from pyftpdlib.handlers import TLS_FTPHandler as Handler
            Handler.certfile = config["cert"]
            Handler.tls_control_required = True
            Handler.tls_data_required = True
        else:
            from pyftpdlib.handlers import FTPHandler as Handler
        Handler.authorizer = authorizer
        server = FTPServer(("127.0.0.1", 0), Handler)
        print("LISTENING %d" % server.socket.getsockname()[1], flush=True)
        server.serve_forever()
        """

    init(home: String, users: [String: (String, String)], tlsCertificate: String? = nil, in directory: String) throws {
        let python = try RemoteServerSoftware.onPath("python3", package: "Debian python3")
        do {
            try RemoteServerSoftware.run(python, ["-c", "import pyftpdlib" + (tlsCertificate == nil ? "" : ", OpenSSL")], in: directory)
        } catch {
            throw FixtureFailure("pyftpdlib\(tlsCertificate == nil ? "" : " and pyopenssl") are not installed for python3 (PyPI); run .ci/install-deps")
        }
        let scriptPath = directory + "/ftpd.py", configPath = directory + "/ftpd-\(UUID().uuidString.prefix(8)).json"
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        var config: [String: Any] = ["home": home, "users": users.mapValues { [$0.0, $0.1] }]
        if let tlsCertificate { config["cert"] = tlsCertificate }
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        server = try ServerUnderTest(python, ["-u", scriptPath, configPath], in: directory)
        port = try server.waitFor("the FTP server") { line in
            line.hasPrefix("LISTENING ") ? Int(line.dropFirst("LISTENING ".count)) : nil
        }
    }

    /// A self-signed certificate for 127.0.0.1 and localhost (key and certificate in one PEM file).
    static func certificate(in directory: String) throws -> String {
        let openssl = try RemoteServerSoftware.onPath("openssl", package: "Debian openssl")
        let path = directory + "/ftps.pem"
        try RemoteServerSoftware.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                                               "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                                               "-keyout", directory + "/ftps.key", "-out", directory + "/ftps.crt"], in: directory)
        let pem = try String(contentsOfFile: directory + "/ftps.key", encoding: .utf8) + String(contentsOfFile: directory + "/ftps.crt", encoding: .utf8)
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// OpenSSH's sshd (Debian openssh-server) in the foreground (`-D -e`) on 127.0.0.1, with a host
/// key and a user key generated for the test, public-key login for the user running the tests and
/// the internal SFTP server.
final class SFTPTestServer {
    let server: ServerUnderTest
    let port: Int
    let directory: String
    var userKey: String { directory + "/user_ed25519" }
    var hostPublicKey: String { directory + "/host_ed25519.pub" }
    let user: String

    init(in parent: String) throws {
        directory = parent + "/sshd"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.isExecutableFile(atPath: RemoteServerSoftware.sshd) else {
            throw FixtureFailure("\(RemoteServerSoftware.sshd) is not installed (Debian openssh-server); run .ci/install-deps")
        }
        let keygen = try RemoteServerSoftware.onPath("ssh-keygen", package: "Debian openssh-client")
        for name in ["host_ed25519", "user_ed25519"] {
            try RemoteServerSoftware.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", directory + "/" + name], in: directory)
        }
        try FileManager.default.copyItem(atPath: directory + "/user_ed25519.pub", toPath: directory + "/authorized_keys")
        user = String(cString: getpwuid(getuid()).pointee.pw_name)
        if getuid() == 0 {
            // sshd running as root wants its privilege separation directory.
            try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        var attempt = 0
        while true {
            attempt += 1
            let port = try Self.freePort()
            let config = directory + "/sshd_config"
            try """
                ListenAddress 127.0.0.1:\(port)
                HostKey \(directory)/host_ed25519
                AuthorizedKeysFile \(directory)/authorized_keys
                PidFile none
                UsePAM no
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                Subsystem sftp internal-sftp
                LogLevel VERBOSE

                """.write(toFile: config, atomically: true, encoding: .utf8)
            let started = try ServerUnderTest(RemoteServerSoftware.sshd, ["-D", "-e", "-f", config], in: directory)
            do {
                _ = try started.waitFor("sshd") { $0.contains("Server listening on 127.0.0.1 port \(port)") ? true : nil }
                server = started
                self.port = port
                return
            } catch where attempt < 3 && started.log.contains("Address already in use") {
                continue
            }
        }
    }

    /// The server's host key fingerprint as `ssh-keygen -lf` prints it: `SHA256:…`.
    func fingerprint() throws -> String {
        let keygen = try RemoteServerSoftware.onPath("ssh-keygen", package: "Debian openssh-client")
        let line = try RemoteServerSoftware.run(keygen, ["-lf", hostPublicKey], in: directory)
        guard let token = line.split(separator: " ").first(where: { $0.hasPrefix("SHA256:") }) else { throw FixtureFailure("no fingerprint in \(line)") }
        return String(token)
    }

    /// A known_hosts line for this server with the given public key file's key.
    func knownHostsLine(host: String, publicKey: String) throws -> String {
        let fields = try String(contentsOfFile: publicKey, encoding: .utf8).split(separator: " ")
        return "[\(host)]:\(port) \(fields[0]) \(fields[1])\n"
    }

    /// A port nothing listens on now (the kernel's pick for a socket bound to port 0, then closed).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureFailure("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw FixtureFailure("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
