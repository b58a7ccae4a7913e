import Testing
import Postgres
import PostgresTestServer

@Suite("COPY and LISTEN/NOTIFY against a real server")
struct CopyAndNotifyTests {
    /// Text that COPY's format must escape, and text that looks like its escapes.
    static func hostileText(_ i: Int) -> String? {
        switch i % 9 {
        case 0: return nil
        case 1: return "\\N"
        case 2: return "tab\there, newline\nthere, return\r, backslash \\ \\\\"
        case 3: return ""
        case 4: return "\\t is not a tab, \\n is not a newline"
        case 5: return "ünïcødé 🚀 \(i)"
        case 6: return "ends with backslash\\"
        case 7: return "\t\n\r\\"
        default: return "plain \(i)"
        }
    }

    @Test("100k rows of hostile text go through COPY and read back exactly")
    func copyRoundTrip() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (id int PRIMARY KEY, a text, b bytea)")
        let writer = try db.copyIn("COPY t (id, a, b) FROM STDIN")
        var encoder = PGCopyEncoder()
        let count = 100_000
        for i in 0 ..< count {
            let text = CopyAndNotifyTests.hostileText(i)
            encoder.appendRow([.integer(Int64(i)), text.map(Value.text) ?? .null, i % 1000 == 0 ? .blob([0, 9, 10, 92, UInt8(i % 256)]) : .null])
            if encoder.bytes.count > 1 << 16 {
                try writer.send(encoder.bytes)
                encoder.reset()
            }
        }
        try writer.send(encoder.bytes)
        #expect(try writer.finish() == count)
        let rows = try db.query("SELECT id, a, b FROM t ORDER BY id")
        #expect(rows.count == count)
        var mismatches = 0
        for (i, row) in rows.enumerated() {
            let blob: Value = i % 1000 == 0 ? .blob([0, 9, 10, 92, UInt8(i % 256)]) : .null
            if row != [.integer(Int64(i)), CopyAndNotifyTests.hostileText(i).map(Value.text) ?? .null, blob] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("an aborted COPY copies nothing and leaves the connection usable")
    func copyAbort() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (id int)")
        let writer = try db.copyIn("COPY t FROM STDIN")
        try writer.send(Array("1\n2\n".utf8))
        #expect(throws: DatabaseError.self) { try db.query("SELECT 1") }  // busy with the COPY
        writer.abort("test abort")
        #expect(throws: DatabaseError.self) { try writer.finish() }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
    }

    @Test("a row the server rejects fails the COPY with its SQLSTATE")
    func copyRejected() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (id int)")
        let writer = try db.copyIn("COPY t FROM STDIN")
        try writer.send(Array("1\nnot a number\n".utf8))
        #expect(throws: DatabaseError.self) { try writer.finish() }
        do { try writer.finish() } catch { #expect(error.sqlState == "55000") }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
        #expect(throws: DatabaseError.self) { try db.copyIn("SELECT 1") }
    }

    @Test("a NOTIFY from one connection reaches another's LISTEN")
    func listenNotify() throws {
        let url = try PostgresTestServer.freshDatabase()
        let listener = try PGConnection(url)
        let sender = try PGConnection(url)
        try listener.listen("ingest_run_cancel")
        #expect(try listener.waitForNotification(timeoutMs: 0) == nil)
        try sender.notify("ingest_run_cancel", payload: "run 42")
        let senderPID = try sender.scalar("SELECT pg_backend_pid()")?.integerValue
        let notification = try listener.waitForNotification(timeoutMs: 30_000)
        #expect(notification?.channel == "ingest_run_cancel")
        #expect(notification?.payload == "run 42")
        #expect(notification.map { Int64($0.senderPID) } == senderPID)
        try listener.unlisten("ingest_run_cancel")
    }
}

@Suite("PGConnection failures: passwords stay hidden, a dead connection is an error")
struct PGFailureTests {
    @Test("a connection error never shows the password", arguments: [
        "postgres://ingest:Sup3r-s3cret@127.0.0.1:1/postgres",
        "postgresql://ingest:Sup3r%2Ds3cret@127.0.0.1:1/postgres?sslmode=disable",
        "host=127.0.0.1 port=1 user=ingest password=Sup3r-s3cret dbname=postgres",
        "postgres://ingest@127.0.0.1:1/postgres?password=Sup3r-s3cret",
    ])
    func passwordHidden(url: String) throws {
        do {
            _ = try PGConnection(url, connectTimeout: 5)
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.sqlState == "08001")
            #expect(!error.description.contains("Sup3r"), "\(error)")
            #expect(error.description.contains("127.0.0.1"))
        }
    }

    @Test("errors and descriptions of a live connection opened with a password never show it")
    func liveConnectionHidesPassword() throws {
        let url = try PostgresTestServer.freshDatabase()
        let withPassword = url.replacing("://ingest@", with: "://ingest:Sup3r-s3cret@")
        let db = try PGConnection(withPassword)  // the test cluster trusts loopback: the password is unused
        #expect(!db.location.description.contains("Sup3r"))
        do {
            try db.execute("SELECT no_such_column")
            Issue.record("a missing column was accepted")
        } catch {
            #expect(error.sqlState == "42703")
            #expect(!error.description.contains("Sup3r"))
        }
    }

    @Test("a terminated backend makes calls throw, never crash; reset reconnects")
    func deadConnection() throws {
        let url = try PostgresTestServer.freshDatabase()
        let victim = try PGConnection(url)
        let admin = try PGConnection(url)
        let pid = try victim.scalar("SELECT pg_backend_pid()") ?? .null
        #expect(try admin.scalar("SELECT pg_terminate_backend(?::int)", [pid]) == .integer(1))
        #expect(throws: DatabaseError.self) { try victim.query("SELECT 1") }
        do { _ = try victim.query("SELECT 1") } catch {
            #expect(error.sqlState?.hasPrefix("08") == true, "\(error)")
        }
        #expect(!victim.isConnected)
        #expect(throws: DatabaseError.self) { try victim.execute("SELECT 1") }
        #expect(throws: DatabaseError.self) { try victim.waitForNotification(timeoutMs: 0) }
        try victim.reset()
        #expect(try victim.scalar("SELECT 1") == .integer(1))
    }
}
