import SQLite

/// The JSON Ingest stores in `ingest_runs.summary` and `ingest_rows.data`/`errors`.
extension RunStore {
    /// `data` as a JSON object keyed by source header, in header order.
    package static func encodeData(_ data: [(key: String, value: String)]) -> JSONValue {
        .object(data.map { ($0.key, .string($0.value)) })
    }

    /// `{message, validation: {column: [messages]}}`.
    package static func encode(_ e: RowErrors) -> JSONValue {
        var members: [(String, JSONValue)] = [("message", .string(e.message))]
        if !e.validation.isEmpty {
            members.append(("validation", .object(e.validation.map { ($0.column, .array($0.messages.map(JSONValue.string))) })))
        }
        return .object(members)
    }

    static func decodeErrors(_ json: JSONValue) -> RowErrors? {
        guard let message = json["message"]?.stringValue else { return nil }
        let validation = json["validation"]?.objectValue?.map { (column: $0.0, messages: $0.1.arrayValue?.compactMap(\.stringValue) ?? []) } ?? []
        return RowErrors(message: message, validation: validation)
    }

    package static func encode(_ s: RunSummary) -> JSONValue {
        let m = s.meta
        return .object([
            ("errors", .array(s.errors.map(JSONValue.string))),
            ("warnings", .array(s.warnings.map(JSONValue.string))),
            ("meta", .object([
                ("total_rows", .integer(Int64(m.totalRows))), ("successful_rows", .integer(Int64(m.successfulRows))),
                ("failed_rows", .integer(Int64(m.failedRows))), ("created_rows", .integer(Int64(m.createdRows))),
                ("updated_rows", .integer(Int64(m.updatedRows))), ("skipped_rows", .integer(Int64(m.skippedRows))),
                ("duration_ms", .integer(Int64(m.durationMs))), ("rows_per_second", .integer(Int64(m.rowsPerSecond))),
                ("dry_run", .bool(m.dryRun)),
                ("source", .object(m.source.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ] + (m.rolledBack.map { r in
                [("rolled_back", JSONValue.object([("created", .integer(Int64(r.created))), ("updated", .integer(Int64(r.updated))),
                                                   ("skipped", .integer(Int64(r.skipped)))]))]
            } ?? []) + (m.threads.map { t in
                [("threads", JSONValue.object([("read_validate_cpu_ms", .integer(Int64(t.readValidateCPUMs))),
                                               ("write_cpu_ms", .integer(Int64(t.writeCPUMs))),
                                               ("write_sqlite_ms", .integer(Int64(t.writeSQLiteMs)))]))]
            } ?? []) + (m.relations.map { r in
                [("relations", JSONValue.object([("attached", .integer(Int64(r.attached))), ("detached", .integer(Int64(r.detached))),
                                                 ("created", .integer(Int64(r.created)))]))]
            } ?? []) + encodeTables(m.tables))),
        ])
    }

    /// `meta.tables` (`target.route`): per table, its created/updated/skipped rows.
    private static func encodeTables(_ tables: [String: RunSummary.Outcome]?) -> [(String, JSONValue)] {
        guard let tables else { return [] }
        var entries: [(String, JSONValue)] = []
        for (name, o) in tables.sorted(by: { $0.key < $1.key }) {
            let counts: [(String, JSONValue)] = [("created", .integer(Int64(o.created))), ("updated", .integer(Int64(o.updated))),
                                                 ("skipped", .integer(Int64(o.skipped)))]
            entries.append((name, .object(counts)))
        }
        return [("tables", .object(entries))]
    }

    static func decodeSummary(_ json: JSONValue) -> RunSummary? {
        guard let meta = json["meta"] else { return nil }
        func int(_ k: String) -> Int { Int(meta[k]?.intValue ?? 0) }
        var source: [String: String] = [:]
        for (k, v) in meta["source"]?.objectValue ?? [] { source[k] = v.stringValue ?? "" }
        return RunSummary(
            errors: json["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            warnings: json["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            meta: .init(totalRows: int("total_rows"), successfulRows: int("successful_rows"), failedRows: int("failed_rows"),
                        createdRows: int("created_rows"), updatedRows: int("updated_rows"), skippedRows: int("skipped_rows"),
                        durationMs: int("duration_ms"), rowsPerSecond: int("rows_per_second"), dryRun: meta["dry_run"]?.boolValue ?? false,
                        source: source,
                        rolledBack: meta["rolled_back"].map { r in
                            .init(created: Int(r["created"]?.intValue ?? 0), updated: Int(r["updated"]?.intValue ?? 0),
                                  skipped: Int(r["skipped"]?.intValue ?? 0))
                        },
                        threads: meta["threads"].map { t in
                            .init(readValidateCPUMs: Int(t["read_validate_cpu_ms"]?.intValue ?? 0), writeCPUMs: Int(t["write_cpu_ms"]?.intValue ?? 0),
                                  writeSQLiteMs: Int(t["write_sqlite_ms"]?.intValue ?? 0))
                        },
                        relations: meta["relations"].map { r in
                            .init(attached: Int(r["attached"]?.intValue ?? 0), detached: Int(r["detached"]?.intValue ?? 0),
                                  created: Int(r["created"]?.intValue ?? 0))
                        },
                        tables: meta["tables"]?.objectValue.map { entries in
                            var tables: [String: RunSummary.Outcome] = [:]
                            for (name, o) in entries {
                                tables[name] = .init(created: Int(o["created"]?.intValue ?? 0), updated: Int(o["updated"]?.intValue ?? 0),
                                                     skipped: Int(o["skipped"]?.intValue ?? 0))
                            }
                            return tables
                        }))
    }
}
