import Definitions
import Foundation
import Postgres
import PostgresTestServer
import Rules
import SQLite
@testable import Engine

/// Writes a CSV through the parse pipeline and the writer a database's dialect picks (SQLite's
/// ``ChunkWriter`` or ``PostgresChunkWriter``), one transaction per chunk as in `chunk`/`none`
/// mode: the same file on both stores must give the same counts, errors and stored values.
struct WriterHarness {
    struct Result: Equatable, CustomStringConvertible {
        var created = 0, updated = 0, skipped = 0, failed = 0
        var errors: [String] = []
        var description: String { "created \(created) updated \(updated) skipped \(skipped) failed \(failed) \(errors)" }
    }

    let db: any SQLDatabase
    let directory: String

    /// A fresh SQLite file, or a fresh database on the tests' PostgreSQL server.
    static func make(_ dialect: SQLDialect) throws -> WriterHarness {
        let directory = NSTemporaryDirectory() + "ingest-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        switch dialect {
        case .sqlite: return WriterHarness(db: try Connection(path: directory + "/target.sqlite"), directory: directory)
        case .postgres: return WriterHarness(db: try PGConnection(try PostgresTestServer.freshDatabase()), directory: directory)
        }
    }

    func write(_ json: String, csv: String) throws -> Result {
        let loaded = DefinitionLoader.load(data: Data(json.utf8), fileName: "items.json")
        guard let definition = loaded.definition else { throw HarnessError(message: "\(loaded.problems)") }
        let importer = try CompiledImporter(definition: definition)
        let path = directory + "/\(UUID().uuidString).csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try RowSource.file(path: path, fileName: "data.csv").open(importer: importer)
        guard let raw = try reader.readHeader() else { throw HarnessError(message: "no header") }
        let header = SourceHeader.prepare(raw)
        let table = TargetTable(importer: importer)
        try db.begin(.immediate)
        _ = try table.prepare(on: db, definition: definition, alter: false)
        try db.commit()
        let writer: any TargetWriter
        if let pg = db as? PGConnection {
            writer = PostgresChunkWriter(db: pg, table: table, definition: definition, header: header, runID: 1)
        } else if let sqlite = db as? Connection {
            writer = try ChunkWriter(db: sqlite, table: table, definition: definition, header: header, runID: 1)
        } else {
            throw HarnessError(message: "unknown database")
        }
        let facts = RunFacts(id: 1, originalFilename: "data.csv", startedAt: Timestamp.now())
        let processor = importer.makeProcessor(resolution: importer.resolve(header: header), run: facts)
        let queue = BoundedQueue<PipelineMessage>(capacity: 4)
        let recycle = RecycleBin()
        let parser = RowParser(reader: Handoff(value: reader), processor: Handoff(value: processor), header: header,
                               chunkSize: definition.chunkSize, queue: queue, stop: CancellationFlag(), recycle: recycle)
        let thread = Thread { parser.run() }
        thread.start()
        return try consume(queue, writer, recycle)
    }

    private func consume(_ queue: BoundedQueue<PipelineMessage>, _ writer: any TargetWriter, _ recycle: RecycleBin) throws -> Result {
        var result = Result()
        while true {
            switch queue.pop() {
            case .batch(let batch, _, _, let endsChunk):
                if !db.isInTransaction { try db.begin(.immediate) }
                let outcome = try writer.write(batch)
                recycle.put(batch.arena)
                result.created += outcome.created; result.updated += outcome.updated
                result.skipped += outcome.skipped; result.failed += outcome.failed
                result.errors += outcome.firstErrors
                if endsChunk { try db.commit() }
            case .readFailed(let reason, _):
                throw HarnessError(message: reason)
            case .end:
                if db.isInTransaction { try db.commit() }
                return result
            }
        }
    }

    /// Every row of `sql` as texts (numbers as their text, NULL as nil).
    func texts(_ sql: String) throws -> [[String?]] {
        try db.query(sql).map { $0.map(\.textValue) }
    }
}

struct HarnessError: Error { let message: String }
