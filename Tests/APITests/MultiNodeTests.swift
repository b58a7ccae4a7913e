import Engine
import Foundation
import Postgres
import PostgresTestServer
import SQLite
import Testing

/// Several `ingest serve` processes sharing one PostgreSQL database (docs/RUNS.md, "Several
/// nodes"): runs are claimed with `SKIP LOCKED`, a stopped node's runs are taken over once its
/// lease passes and resumed from their last committed chunk, a frozen node that comes back
/// commits nothing more, and a cancel reaches the owner from any node.
@Suite("Several nodes on one PostgreSQL", .serialized)
struct MultiNodeTests {
    /// No key: a row imported twice would be two rows, so the counts below prove "exactly once".
    static let importer = """
        {"name": "Items", "source": {"type": "upload", "formats": ["csv"]}, "target": {"table": "items"},
         "transaction": "chunk", "chunk_size": 100,
         "columns": {"file": {"from": "file", "type": "integer", "rules": "required"},
                     "line": {"from": "line", "type": "integer", "rules": "required|min:1"},
                     "name": {"from": "name", "rules": "required"}}}
        """

    static func csv(file: Int, rows: Int) -> String {
        var text = "file,line,name\n"
        for line in 1...rows { text += "\(file),\(line),item \(file)-\(line)\n" }
        return text
    }

    /// Nodes on one fresh database, sharing one uploads folder, with a 3-second lease.
    final class Cluster {
        let fixture: ProcessFixture
        let db: PGConnection
        let token: String
        var nodes: [ServerProcess] = []

        init(nodes count: Int, extra: [String] = []) throws {
            fixture = try ProcessFixture(importers: ["items": MultiNodeTests.importer])
            let url = try PostgresTestServer.freshDatabase()
            fixture.database = url
            db = try PGConnection(url)
            token = try ServerProcess.token(fixture)
            for _ in 0..<count {
                nodes.append(try ServerProcess(fixture, extra: ["--lease", "3", "--uploads", fixture.root + "/uploads"] + extra))
            }
        }

        func pid(_ node: Int) -> Int64 { Int64(nodes[node].process.process.processIdentifier) }

        func rows(_ sql: String, _ values: [Value] = []) throws -> [[Value]] { try db.query(sql, values) }

        func int(_ sql: String, _ values: [Value] = []) throws -> Int64 { try rows(sql, values).first?.first?.integerValue ?? -1 }

        /// A run `node` is processing now, with that node frozen (SIGSTOP) so it cannot finish it.
        func freezeWhileRunning(_ node: Int) throws -> Int64 {
            let pid = self.pid(node)
            return try fixture.eventually("node \(node + 1) to be importing", timeout: .seconds(90)) { () -> Int64? in
                let sql = "SELECT id FROM ingest_runs WHERE status = 'processing' AND owner_pid = ? AND processed_rows > 0 ORDER BY id LIMIT 1"
                guard try int(sql, [.integer(pid)]) > 0 else { return nil }
                kill(pid_t(pid), SIGSTOP)
                let id = try int(sql, [.integer(pid)])
                if id > 0 { return id }
                kill(pid_t(pid), SIGCONT)
                return nil
            }
        }

        /// The node importing run `id` (any node may claim an upload), once it has committed rows.
        func ownerNode(of id: Int64) throws -> Int {
            try fixture.eventually("run \(id) to be importing", timeout: .seconds(60)) { () -> Int? in
                let pid = try int("SELECT owner_pid FROM ingest_runs WHERE id = ? AND status = 'processing' AND processed_rows > 0", [.integer(id)])
                return nodes.indices.first { self.pid($0) == pid }
            }
        }

        /// Waits until no run is pending or processing, and every interrupted run was resumed.
        func waitUntilAllFinished() throws {
            do {
                try waitForAll()
            } catch {
                let open = try rows("""
                    SELECT id, status, owner_pid, processed_rows, resumed_from_run_id, failure_reason FROM ingest_runs
                    WHERE status IN ('pending', 'processing') OR failure_reason LIKE 'interrupted:%' ORDER BY id
                    """)
                throw FixtureFailure("\(error); open or interrupted runs: \(open.map { $0.map { $0.textValue ?? $0.integerValue.map(String.init) ?? "null" } })")
            }
        }

        private func waitForAll() throws {
            _ = try fixture.eventually("every run to finish", timeout: .seconds(120)) { () -> Bool? in
                // One statement, one snapshot: a resume created between two queries is never missed.
                let unfinished = try int("""
                    SELECT COUNT(*) FROM ingest_runs AS r WHERE r.status IN ('pending', 'processing')
                        OR (r.failure_reason LIKE 'interrupted:%'
                            AND NOT EXISTS (SELECT 1 FROM ingest_runs AS c WHERE c.resumed_from_run_id = r.id))
                    """)
                return unfinished == 0 ? true : nil
            }
        }

        /// The run that ends the chain started by `id`: itself, or the last run resuming it.
        func lastOfChain(_ id: Int64) throws -> (id: Int64, status: String) {
            var current = id
            while true {
                let next = try int("SELECT id FROM ingest_runs WHERE resumed_from_run_id = ? ORDER BY id DESC LIMIT 1", [.integer(current)])
                guard next > 0 else { break }
                current = next
            }
            let status = try rows("SELECT status FROM ingest_runs WHERE id = ?", [.integer(current)]).first?.first?.textValue ?? ""
            return (current, status)
        }

        /// Every run and the nodes' logs, for a failure message.
        func diagnosis() throws -> String {
            let runs = try rows("""
                SELECT id, status, owner_pid, processed_rows, resume_position, resumed_from_run_id, failure_reason FROM ingest_runs ORDER BY id
                """).map { $0.map { $0.textValue ?? $0.integerValue.map(String.init) ?? "null" }.joined(separator: " | ") }
            let logs = nodes.enumerated().map { "node \($0.offset + 1) (pid \($0.element.process.process.processIdentifier)):\n"
                + $0.element.process.stderr.split(separator: "\n").filter { !$0.contains(" 202 ") && !$0.contains(" 200 ") }.suffix(30).joined(separator: "\n") }
            return (runs + logs).joined(separator: "\n")
        }

        deinit {
            for node in nodes where node.process.process.isRunning {
                kill(node.process.process.processIdentifier, SIGCONT)
                node.process.killHard()
            }
        }
    }

    @Test("three nodes, 30 uploads, one node killed mid-run: every upload ends completed and every row is in exactly once")
    func threeNodesOneKilled() throws {
        let cluster = try Cluster(nodes: 3)
        let rows = 10_000
        var ids: [Int64] = []
        for file in 0..<30 {
            let response = try cluster.nodes[file % 3].upload("items", csv: Self.csv(file: file, rows: rows), token: cluster.token)
            #expect(response.status == 202, "\(response.body)")
            ids.append(try #require(response.data?.int("id")))
        }
        let cut = try cluster.freezeWhileRunning(1)
        let committedWhenCut = try cluster.int("SELECT resume_position FROM ingest_runs WHERE id = ?", [.integer(cut)])
        cluster.nodes[1].process.killHard()
        try cluster.waitUntilAllFinished()

        for id in ids {
            let last = try cluster.lastOfChain(id)
            let diagnosis = last.status == "completed" ? "" : ((try? cluster.diagnosis()) ?? "")
            #expect(last.status == "completed", "upload run \(id) ended as run \(last.id), \(last.status)\n\(diagnosis)")
        }
        let reason = try cluster.rows("SELECT status, failure_reason FROM ingest_runs WHERE id = ?", [.integer(cut)]).first
        #expect(reason?[0].textValue == "failed")
        let text = reason?[1].textValue ?? ""
        #expect(text.contains("interrupted: process \(cluster.pid(1))") && text.contains("stopped renewing its lease"), "\(text)")
        #expect(text.contains("Resumed automatically as run"), "\(text)")
        let resumed = try cluster.lastOfChain(cut)
        #expect(resumed.id != cut)
        let position = try cluster.rows("SELECT resume_position, processed_rows, created_rows FROM ingest_runs WHERE id = ?", [.integer(resumed.id)]).first
        #expect(position?.map { $0.integerValue ?? -1 } == [Int64(rows), Int64(rows), Int64(rows)])
        #expect(committedWhenCut >= 0 && committedWhenCut < Int64(rows))

        #expect(try cluster.int("SELECT COUNT(*) FROM items") == Int64(30 * rows))
        #expect(try cluster.int("SELECT COUNT(*) FROM (SELECT DISTINCT file, line FROM items) AS d") == Int64(30 * rows))
        // The survivors shared the work: runs completed on both.
        let owners = try cluster.int("SELECT COUNT(DISTINCT owner_pid) FROM ingest_runs WHERE status = 'completed'")
        #expect(owners == 2 || owners == 3)
        // The killed node's uploads were read by the others from the shared folder, then removed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cluster.fixture.root + "/uploads").isEmpty)
    }

    @Test("a frozen node loses its run when its lease passes; thawed, it commits nothing more, and the run is in once")
    func frozenNodeIsFenced() throws {
        let cluster = try Cluster(nodes: 2)
        let rows = 60_000
        let upload = try cluster.nodes[0].upload("items", csv: Self.csv(file: 7, rows: rows), token: cluster.token)
        let id = try #require(upload.data?.int("id"))
        let owner = try cluster.ownerNode(of: id)
        #expect(try cluster.freezeWhileRunning(owner) == id)
        // Node 2 takes it over after the lease, ends it interrupted and resumes it.
        let resumed = try cluster.fixture.eventually("the run to be resumed", timeout: .seconds(60)) { () -> Int64? in
            let next = try cluster.int("SELECT id FROM ingest_runs WHERE resumed_from_run_id = ?", [.integer(id)])
            return next > 0 ? next : nil
        }
        let interrupted = try cluster.rows("SELECT processed_rows, resume_position FROM ingest_runs WHERE id = ?", [.integer(id)]).first
        kill(pid_t(cluster.pid(owner)), SIGCONT)
        let log = try cluster.fixture.eventually("the thawed node to give the run up", timeout: .seconds(30)) { () -> String? in
            let text = cluster.nodes[owner].process.stderr
            return text.contains("run \(id) failed: interrupted") ? text : nil
        }
        #expect(log.contains("stopped renewing its lease"))
        try cluster.waitUntilAllFinished()
        #expect(try cluster.lastOfChain(id).status == "completed")
        // The old owner changed nothing of the run after it lost it.
        #expect(try cluster.rows("SELECT processed_rows, resume_position FROM ingest_runs WHERE id = ?", [.integer(id)]).first == interrupted)
        #expect(try cluster.int("SELECT COUNT(*) FROM items") == Int64(rows))
        #expect(try cluster.int("SELECT COUNT(*) FROM (SELECT DISTINCT line FROM items) AS d") == Int64(rows))
        #expect(try cluster.int("SELECT created_rows FROM ingest_runs WHERE id = ?", [.integer(resumed)]) == Int64(rows))
        // The thawed node works on: its next upload completes.
        let next = try #require(try cluster.nodes[owner].upload("items", csv: Self.csv(file: 8, rows: 10), token: cluster.token).data?.int("id"))
        #expect(try cluster.nodes[owner].waitUntilFinished(next, token: cluster.token).string("status") == "completed")
    }

    @Test("a cancel sent to another node stops the run after its chunk; only committed chunks stay")
    func cancelFromAnotherNode() throws {
        let cluster = try Cluster(nodes: 2)
        let upload = try cluster.nodes[0].upload("items", csv: Self.csv(file: 1, rows: 200_000), token: cluster.token)
        let id = try #require(upload.data?.int("id"))
        let other = 1 - (try cluster.ownerNode(of: id))
        let cancel = try cluster.nodes[other].post("/\(id)/cancel", token: cluster.token)
        #expect(cancel.status == 200, "\(cancel.body)")
        let run = try cluster.nodes[other].waitUntilFinished(id, token: cluster.token)
        #expect(run.string("status") == "cancelled")
        let successful = try #require(run["progress"]?.int("successful"))
        #expect(successful > 0 && successful < 200_000)
        #expect(successful % 100 == 0)
        #expect(try cluster.int("SELECT COUNT(*) FROM items") == successful)
    }

    @Test("nodes starting at once on a fresh database create the target table and the lookup values once, and every run completes")
    func concurrentFirstRuns() throws {
        let importer = """
            {"name": "Tagged", "source": {"type": "upload", "formats": ["csv"]}, "target": {"table": "tagged", "key": ["code"]},
             "chunk_size": 50,
             "columns": {"code": {"from": "code", "rules": "required"},
                         "category_id": {"from": "category", "lookup": {"table": "categories", "match": "slug", "select": "id", "create_missing": true}}}}
            """
        let fixture = try ProcessFixture(importers: ["tagged": importer])
        let url = try PostgresTestServer.freshDatabase()
        fixture.database = url
        for node in 0..<4 {
            var csv = "code,category\n"
            for i in 0..<400 { csv += "n\(node)-\(i),cat-\(i % 7)\n" }
            try fixture.write(csv, to: "node\(node).csv")
        }
        let processes = try (0..<4).map { try fixture.start(["run", "tagged", fixture.root + "/node\($0).csv"]) }
        for process in processes {
            let status = try process.wait(timeout: .seconds(120))
            #expect(status == 0, "\(process.stdout)\n\(process.stderr)")
        }
        let db = try PGConnection(url)
        #expect(try db.query("SELECT COUNT(*) FROM tagged", []).first?.first?.integerValue == 1600)
        #expect(try db.query("SELECT COUNT(*) FROM categories", []).first?.first?.integerValue == 7)
        #expect(try db.query("SELECT COUNT(*) FROM tagged WHERE category_id IS NULL", []).first?.first?.integerValue == 0)
    }
}
