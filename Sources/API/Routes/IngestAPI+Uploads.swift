import Engine
import Foundation
import HTTP

/// Starting runs: from an uploaded file, or from the importer's own source.
extension IngestAPI {
    /// `POST /upload/{importerSlug}`: streams the multipart `file` to the uploads folder, records
    /// a pending run and answers `202` at once.
    ///
    /// Everything that can be refused without the body is refused before reading it (unknown slug
    /// `404`, a `Content-Length` above the importer's limit `413`), so no `100 Continue` is sent
    /// and the client does not upload in vain. The uploaded file belongs to the run from then
    /// on (a worker removes it when the run ends) and is removed here on any error.
    func upload(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let slug = request.parameters["importerSlug"] ?? ""
        let (compiled, _) = try engine.importer(slug)
        let limit = uploadLimit(maxSizeMB: compiled.definition.source.maxSizeMB)
        let bodyLimit = limit > Int.max - configuration.multipartOverheadBytes ? Int.max : limit + configuration.multipartOverheadBytes
        if let length = request.body.expectedLength, length > bodyLimit {
            throw APIError.uploadTooLarge(limitBytes: limit)
        }
        request.body.maxBytes = bodyLimit
        let directory = try uploadsDirectory()

        var limits = configuration.uploadFormLimits
        limits.maxFileBytes = limit
        let form: MultipartForm
        do {
            form = try MultipartFormReader.read(request, fileDirectory: directory, limits: limits)
        } catch {
            // A chunked body that proves too long is the same refusal as a long Content-Length.
            if case .body(let cause) = error, cause.status == .contentTooLarge { throw APIError.uploadTooLarge(limitBytes: limit) }
            throw error
        }
        let file = form.file(named: "file")
        // Only the `file` part is kept; any other file part is discarded now.
        for other in form.files where other.path != file?.path {
            try? FileManager.default.removeItem(atPath: other.path)
        }
        // A misspelt `dry_run` must not start a real run: every part must be one the form takes.
        let names = form.fields.map(\.name) + form.files.map(\.name)
        if let unknown = names.first(where: { $0 != "file" && $0 != "dry_run" }) {
            if let file { try? FileManager.default.removeItem(atPath: file.path) }
            throw APIError.unknownField(unknown, accepted: ["file", "dry_run"])
        }
        guard let file else {
            throw APIError.invalid(field: "file", message: "The file field is required.")
        }
        let runID: Int64
        do {
            runID = try createUploadRun(slug: slug, file: file, dryRunField: form[field: "dry_run"], token: token)
        } catch {
            try? FileManager.default.removeItem(atPath: file.path)
            throw error
        }
        return try accepted(runID: runID)
    }

    /// Records the pending run of an uploaded file; from then on the run owns the file.
    private func createUploadRun(slug: String, file: MultipartFile, dryRunField: String?, token: AuthenticatedToken?) throws -> Int64 {
        let dryRun = try BooleanInput.parse(formValue: dryRunField, field: "dry_run")
        let originalName = IngestAPI.displayName(ofUpload: file.filename)
        do {
            return try engine.createRun(slug: slug, path: file.path, originalFilename: originalName, dryRun: dryRun,
                                        userID: token?.userID, ownsFile: true)
        } catch {
            guard case .sourceUnavailable(let message) = error else { throw error }
            // The reader's message may name the temporary file; show the client's name instead.
            throw APIError.invalid(field: "file", message: message.replacingOccurrences(of: file.path, with: originalName))
        }
    }

    /// `POST /trigger/{importerSlug}`: a run of an importer whose source is a file under the data
    /// root or a URL. Optional body `{"dry_run": true}`; `422` for an upload-only importer.
    func trigger(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let slug = request.parameters["importerSlug"] ?? ""
        _ = try engine.importer(slug)
        let dryRun = try BooleanInput.dryRun(jsonBody: request.body.buffered ?? [])
        let runID = try engine.createSourceRun(slug: slug, dryRun: dryRun, userID: token?.userID)
        return try accepted(runID: runID)
    }

    /// The byte limit of an upload: the importer's `max_size_mb`, else the server default.
    func uploadLimit(maxSizeMB: Int?) -> Int {
        if let maxSizeMB, maxSizeMB > 0 {
            return maxSizeMB > (Int.max >> 20) ? Int.max : maxSizeMB << 20
        }
        return Int(clamping: engine.configuration.maxUploadBytes)
    }

    /// The uploads folder, created (mode 0700) if missing.
    private func uploadsDirectory() throws -> String {
        let directory = engine.configuration.uploadsDirectory
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        return directory
    }

    /// The client's file name reduced to something safe to store and show: its last path
    /// component, without control characters, at most 255 characters. It is never used as a
    /// path; the engine only reads its extension to pick the reader.
    static func displayName(ofUpload filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let printable = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        let trimmed = String(printable.trimmingASCIIWhitespace().suffix(255))
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "upload" : trimmed
    }
}
