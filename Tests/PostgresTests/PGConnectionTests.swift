import Testing
import Postgres
import PostgresTestServer

/// A connection to a database of its own on the test server.
func freshConnection() throws -> PGConnection {
    try PGConnection(PostgresTestServer.freshDatabase())
}

@Suite("PGConnection against a real server")
struct PGConnectionTests {
    @Test("connects, reports versions and speaks the postgres dialect")
    func connects() throws {
        let db = try freshConnection()
        #expect(db.dialect == .postgres)
        #expect(db.isConnected)
        #expect(db.serverVersionNumber >= 100_000)
        #expect(db.serverVersion.contains("."))
        #expect(try db.scalar("SELECT 1") == .integer(1))
        #expect(try db.scalar("SHOW client_encoding") == .text("UTF8"))
    }

    @Test("? placeholders bind in order; a ? in a literal is text")
    func placeholders() throws {
        let db = try freshConnection()
        let row = try db.query("SELECT ?::int + ?::int, '?', ?::text", [.integer(2), .integer(3), .text("x")])
        #expect(row == [[.integer(5), .text("?"), .text("x")]])
        #expect(throws: DatabaseError.self) { try db.query("SELECT ?::int", []) }
    }

    @Test("values round trip by type: NULL, big integers, reals, unicode, bytea, bool, numeric")
    func typesRoundTrip() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (id serial PRIMARY KEY, i bigint, s smallint, r double precision, x text, b bytea, f boolean, n numeric(10,4))")
        let allBytes = (0 ... 255).map(UInt8.init)
        let rows: [[Value]] = [
            [.integer(.max), .integer(-32768), .real(0.1), .text("héllo 🌍 日本語 \u{0}".replacing("\u{0}", with: "")), .blob(allBytes), .integer(1), .text("123.4500")],
            [.integer(.min), .integer(7), .real(-1e300), .text(""), .blob([]), .integer(0), .text("-0.0001")],
            [.null, .null, .null, .null, .null, .null, .null],
            [.integer(0), .integer(0), .real(.infinity), .text("quote ' and \" and \\"), .blob([0]), .integer(1), .text("0.0000")],
        ]
        for row in rows {
            #expect(try db.execute("INSERT INTO t (i, s, r, x, b, f, n) VALUES (?, ?, ?, ?, ?, ?, ?)", row) == 1)
        }
        let back = try db.query("SELECT i, s, r, x, b, f, n FROM t ORDER BY id")
        #expect(back == rows)
        #expect(try db.scalar("SELECT count(*) FROM t WHERE i = ?", [.integer(.max)]) == .integer(1))
    }

    @Test("errors carry the SQLSTATE: unique, not null, syntax; row values stay out of the message")
    func errors() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE u (k text PRIMARY KEY, v text NOT NULL)")
        try db.execute("INSERT INTO u VALUES (?, ?)", [.text("secret-key-value"), .text("v")])
        do {
            try db.execute("INSERT INTO u VALUES (?, ?)", [.text("secret-key-value"), .text("v")])
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation && error.isConstraintViolation)
            #expect(!error.description.contains("secret-key-value"))
            #expect(error.sql?.contains("INSERT INTO u") == true)
        }
        do {
            try db.execute("INSERT INTO u VALUES (?, ?)", [.text("k2"), .null])
            Issue.record("a NULL was accepted")
        } catch {
            #expect(error.sqlState == "23502")
            #expect(error.isConstraintViolation && !error.isUniqueViolation)
        }
        do {
            try db.execute("SELEC 1")
            Issue.record("bad syntax was accepted")
        } catch {
            #expect(error.sqlState == "42601")
            #expect(!error.isConstraintViolation)
            #expect(error.description.hasPrefix("PostgreSQL error 42601: "))
        }
    }

    @Test("transactions commit and roll back; isInTransaction follows, also after an error")
    func transactions() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (v int)")
        #expect(!db.isInTransaction)
        try db.rollback()  // no-op when idle
        try db.begin(.immediate)
        #expect(db.isInTransaction)
        try db.execute("INSERT INTO t VALUES (?)", [.integer(1)])
        try db.rollback()
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
        let inserted = try db.transaction(.deferred) { () throws(DatabaseError) in try db.execute("INSERT INTO t VALUES (?)", [.integer(2)]) }
        #expect(inserted == 1)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
        try db.begin(.exclusive)
        #expect(throws: DatabaseError.self) { try db.execute("SELEC 1") }
        #expect(db.isInTransaction)
        try db.rollback()
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test("savepoints keep or undo their part of a transaction")
    func savepoints() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (v int UNIQUE)")
        try db.begin(.immediate)
        try db.execute("INSERT INTO t VALUES (?)", [.integer(1)])
        try db.savepoint("chunk")
        try db.execute("INSERT INTO t VALUES (?)", [.integer(2)])
        try db.release("chunk")
        try db.savepoint("chunk")
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO t VALUES (?)", [.integer(1)]) }
        try db.rollback(to: "chunk")
        try db.execute("INSERT INTO t VALUES (?)", [.integer(3)])
        try db.commit()
        #expect(try db.query("SELECT v FROM t ORDER BY v") == [[.integer(1)], [.integer(2)], [.integer(3)]])
    }

    @Test("tableExists and columns read the current schema")
    func catalog() throws {
        let db = try freshConnection()
        #expect(try !db.tableExists("Products"))
        try db.execute(#"CREATE TABLE "Products" (id bigint, "Name" varchar(20), price numeric)"#)
        #expect(try db.tableExists("Products"))
        #expect(try !db.tableExists("products"))
        let columns = try db.columns(of: "Products")
        #expect(columns.map(\.name) == ["id", "Name", "price"])
        #expect(columns.map(\.type) == ["bigint", "character varying(20)", "numeric"])
        #expect(try db.columns(of: "missing").isEmpty)
    }

    @Test("a cached statement whose result type changed is prepared again")
    func stalePlan() throws {
        let db = try freshConnection()
        try db.execute("CREATE TABLE t (a int)")
        #expect(try db.query("SELECT * FROM t", []).isEmpty)
        try db.execute("ALTER TABLE t ADD COLUMN b int; INSERT INTO t VALUES (1, 2)")
        _ = try? db.query("SELECT * FROM t", [])
        #expect(try db.query("SELECT * FROM t", []) == [[.integer(1), .integer(2)]])
    }
}
