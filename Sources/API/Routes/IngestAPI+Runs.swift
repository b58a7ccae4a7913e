import Engine
import HTTP

/// Reading runs: the list, one run, its row log, its error summary, its failed rows and its webhook deliveries.
extension IngestAPI {
    /// `GET /`: runs newest first, paginated, filtered by `importer` and `status`. Served from the
    /// read cache while nothing in the database changed (``ReadCache``).
    func listRuns(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        try cachedRead("list " + request.target, token: token) { store in try listBody(request.query, store: store) }
    }

    /// The body of `GET /` for `query`.
    private func listBody(_ query: QueryParameters, store: RunStore) throws -> CacheableBody {
        let page = try PageRequest(query: query, defaultPerPage: configuration.defaultPerPage, maxPerPage: configuration.maxPerPage)
        var filters: [(String, String)] = []
        let importer = query["importer"].flatMap { $0.isEmpty ? nil : $0 }
        if let importer { filters.append(("importer", importer)) }
        var status: RunStatus?
        if let text = query["status"], !text.isEmpty {
            guard let parsed = RunStatus(rawValue: text) else {
                throw APIError.invalid(field: "status", message: "The selected status is invalid; use one of: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = parsed
            filters.append(("status", text))
        }
        let (runs, total) = try store.runs(importer: importer, status: status, limit: page.perPage, offset: page.offset)
        let bytes = JSONBytesWriter.bytes(PaginatedResource(items: runs.map { IngestRunResource.json($0) }, total: total, page: page,
                                                            path: link(""), filters: filters).json)
        return CacheableBody(bytes: bytes, keep: !runs.contains { $0.status == .processing })
    }

    /// `GET /{ingestRun}[?rows=N]`: one run with its first logged rows (100, or `rows` of them:
    /// `rows=0` answers the same shape with `rows: []`, for cheap polling). Served from the read
    /// cache while nothing in the database changed.
    func showRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let limit = try IngestAPI.embeddedRowCount(request.query["rows"])
        return try cachedRead("show " + request.target, token: token) { store in
            let run = try existingRun(id, in: store)
            let rows = limit == 0 ? [] : try store.storedRows(of: id, limit: limit, offset: 0)
            return CacheableBody(bytes: IngestRunResource.body(run, storedRows: rows), keep: run.status != .processing)
        }
    }

    /// `rows` of `GET /{ingestRun}`: absent means the seed's 100; an integer from 0 up, lowered
    /// to 100; anything else is a `422`.
    static func embeddedRowCount(_ text: String?) throws(APIError) -> Int {
        guard let text else { return IngestRunResource.embeddedRowLimit }
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy(digits.contains), let value = Int(text) else {
            throw .invalid(field: "rows", message: "The rows field must be an integer between 0 and \(IngestRunResource.embeddedRowLimit).")
        }
        return min(value, IngestRunResource.embeddedRowLimit)
    }

    /// `GET /{ingestRun}/rows`: the row log, paginated, optionally of one `status`.
    func listRows(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let page = try PageRequest(query: request.query, defaultPerPage: configuration.defaultPerPage, maxPerPage: configuration.maxPerPage)
        var filters: [(String, String)] = []
        var status: LoggedRow.Status?
        if let text = request.query["status"], !text.isEmpty {
            guard let parsed = LoggedRow.Status(rawValue: text) else {
                throw APIError.invalid(field: "status", message: "The selected status is invalid; use one of: \(LoggedRow.Status.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = parsed
            filters.append(("status", text))
        }
        let (rows, total) = try stores.withStore { store in
            _ = try existingRun(id, in: store)
            return (try store.storedRows(of: id, status: status, limit: page.perPage, offset: page.offset),
                    try store.rowCount(of: id, status: status))
        }
        return PaginatedResource(items: rows.map(\.json), total: total, page: page,
                                 path: link("/\(id)/rows"), filters: filters).response
    }

    /// `GET /{ingestRun}/webhooks`: the run's webhook deliveries with their attempts.
    func listWebhooks(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let deliveries = try stores.withStore { store in
            _ = try existingRun(id, in: store)
            return try store.webhookDeliveries(of: id)
        }
        return .resource(.array(deliveries.map(\.json)))
    }

    /// `GET /{ingestRun}/errors/summary`: failed rows counted by message. Served from the read
    /// cache while nothing in the database changed.
    func errorSummary(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        return try cachedRead("summary " + request.target, token: token) { store in
            _ = try existingRun(id, in: store)
            return CacheableBody(bytes: ErrorSummaryResource.body(try store.errorSummary(of: id)))
        }
    }

    /// `GET /{ingestRun}/failed-rows/download[?format=xlsx]`: the failed rows as a streamed CSV (or XLSX), with
    /// `_error_message` and `_row_number` after the source columns.
    func downloadFailedRows(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let format: FailedRowsExport.Format
        switch request.query["format"] {
        case nil, "": format = .csv
        case let text?:
            guard let chosen = FailedRowsExport.Format(rawValue: text) else {
                throw APIError.invalid(field: "format", message: "The selected format is invalid; use one of: csv, xlsx.")
            }
            format = chosen
        }
        let failed = try stores.withStore { store in
            _ = try existingRun(id, in: store)
            return try store.failedRowCount(of: id)
        }
        guard failed > 0 else { throw APIError.noFailedRowsToDownload }
        let headers: HTTPHeaders = [
            "Content-Type": format.contentType,
            "Content-Disposition": "attachment; filename=\"ingest-run-\(id)-failed-rows.\(format.rawValue)\"",
            "Cache-Control": "no-store",
        ]
        let engine = self.engine
        let logger = self.logger
        return .stream(headers: headers) { writer in
            // A store of its own, opened only if the body is produced (not for HEAD): it lives
            // as long as the download, which may outlast any pooled checkout.
            do {
                let store = try engine.openStore()
                try FailedRowsExport.write(runID: id, store: store, format: format) { bytes in try writer.write(bytes) }
            } catch {
                // The head is out: the server closes the connection without the final chunk, so
                // the client sees a truncated download rather than a silently short file.
                if !(error is HTTPIOError) { logger("error GET failed-rows of run \(id): \(String(describing: error))") }
                throw error
            }
        }
    }
}
