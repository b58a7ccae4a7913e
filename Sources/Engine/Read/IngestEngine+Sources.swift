import Definitions
import Rules
import Foundation
import Tabular

extension IngestEngine {
    /// Records a `pending` run for an importer whose source is not an upload (`filesystem`, `url`,
    /// `ftp`, `ftps`, `sftp`).
    package func createSourceRun(slug: String, dryRun: Bool, userID: Int64?) throws(EngineError) -> Int64 {
        let (compiled, loaded) = try importer(slug)
        let source = compiled.definition.source
        let pending: RunStore.NewRun
        switch source.type {
        case .upload:
            throw .invalidRequest("The importer '\(slug)' imports uploaded files; give the file to import.")
        case .filesystem:
            // Opened beneath the data root now, and its format checked from that open file; the
            // worker opens it beneath the root again when the run starts.
            let file = try openDataFile(source.path ?? "")
            _ = try checkFormat(slug: slug, fileName: file.name, detect: { () throws(TabularError) in
                try TableReaders.detect(file: file.opened, fileName: file.name)
            }, header: { (options: ReadOptions) throws(TabularError) -> [String]? in
                try TableReaders.open(file: file.opened, fileName: file.name, options: options).readHeader()
            })
            pending = .init(importer: slug, userID: userID, originalFilename: file.name, sourcePath: file.path,
                            definitionHash: loaded.contentHash, dryRun: dryRun)
        case .url:
            guard let address = source.url else { throw .invalidRequest("The importer '\(slug)' has no source.url.") }
            // Refusals (scheme, host allow-list, internal addresses) answer now; the download
            // itself happens when a worker starts the run, so a trigger answers at once.
            _ = try URLDownloader(configuration: configuration).validate(address)
            pending = .init(importer: slug, userID: userID, originalFilename: URLDownloader.fileName(of: address),
                            definitionHash: loaded.contentHash, dryRun: dryRun, sourceURL: address)
        case .ftp, .ftps, .sftp:
            // Like `url`: refusals and a missing login answer now, the transfer runs in the worker.
            let shown = try RemoteFileDownloader(configuration: configuration).validate(source)
            let name = (source.path ?? "").split(separator: "/").last.map(String.init) ?? "download"
            pending = .init(importer: slug, userID: userID, originalFilename: name,
                            definitionHash: loaded.contentHash, dryRun: dryRun, sourceURL: shown)
        }
        return try record(pending, store: try openStore(), duplicate: "")
    }

    /// `relative` under the data root, opened (see ``DataRoot``): refuses absolute paths, `..`,
    /// symlinks that lead outside the root and anything but a regular file.
    func openDataFile(_ relative: String) throws(EngineError) -> DataRoot.File {
        guard !relative.isEmpty else { throw .invalidRequest("The importer has no source.path.") }
        guard !relative.hasPrefix("/") else { throw .sourceUnavailable("source.path must be relative to the data root, not absolute.") }
        guard !relative.split(separator: "/").contains("..") else { throw .sourceUnavailable("source.path may not contain '..'.") }
        let file = try DataRoot(configuration.dataRoot).open(relative, shown: relative)
        let uploads = (configuration.uploadsDirectory as NSString).resolvingSymlinksInPath
        guard !(file.path + "/").hasPrefix(uploads + "/") else {
            throw .sourceUnavailable("source.path '\(relative)' is inside the uploads folder, whose files belong to runs.")
        }
        return file
    }

    /// The real path of `relative` under the data root, after opening it beneath the root (see
    /// ``openDataFile(_:)``).
    package func resolveDataPath(_ relative: String) throws(EngineError) -> String {
        try openDataFile(relative).path
    }

    /// How a run reads its stored file. A `filesystem` importer's file under the data root is
    /// opened beneath the root again, and the reader reads that open file: a path component
    /// swapped for a symlink since the trigger cannot lead outside. Any other file by its path.
    func rowSource(storedPath path: String, fileName: String?, sourceType: SourceSpec.SourceType?) throws(EngineError) -> RowSource {
        guard sourceType == .filesystem else { return .file(path: path, fileName: fileName) }
        let root = try DataRoot(configuration.dataRoot)
        guard let relative = root.relative(path) else { return .file(path: path, fileName: fileName) }
        return .opened(try root.open(relative, shown: relative).opened, fileName: fileName)
    }

    /// Checks a file against the importer before a run is created, and returns its format:
    ///
    /// 1. its content (`detect`): bytes that are none of the readers' formats are refused
    ///    (`contentRefused`: a PNG, random bytes, a ZIP archive that is not a workbook), a ZIP
    ///    workbook is XLSX whatever its name, and a declared `source.format` must agree with
    ///    the content (text or workbook);
    /// 2. the importer's `formats`, except that Ingest's own failed-rows CSV (its last columns
    ///    `_error_message` and `_row_number`) is always accepted, so failed rows can go back in;
    /// 3. for CSV and TSV, its header (`header` opens the file with the given options): when no
    ///    column's header is found in it, the file is not meant for this importer and is
    ///    refused naming the headers found.
    func checkFormat(slug: String, fileName: String?, detect: () throws(TabularError) -> ContentSniffer.Detection,
                     header: (ReadOptions) throws(TabularError) -> [String]?) throws(EngineError) -> String {
        let (compiled, _) = try importer(slug)
        let source = compiled.definition.source
        let accepted = source.formats.map(\.rawValue)
        let detection: ContentSniffer.Detection
        do {
            detection = try detect()
        } catch {
            if error.kind == .unsupportedFormat {
                throw .contentRefused(Self.sentence(error.message), accepted: accepted.isEmpty ? ReadOptions.Format.allCases.map(\.rawValue) : accepted)
            }
            throw .sourceUnavailable(error.description)
        }
        var format = detection.format
        let options = RowSource.readOptions(for: source)
        func readHeader(_ format: ReadOptions.Format) -> [String]? {
            var asRead = options
            asRead.format = format
            do { return try header(asRead) } catch { return nil }
        }
        var isFailedRowsExport: Bool {
            (format == .csv || format == .tsv) && readHeader(format).map(FailedRowsFile.isExport) == true
        }
        if let declared = options.format, declared != format {
            if (declared == .xlsx) != (format == .xlsx) && !(declared == .xlsx && isFailedRowsExport) {
                throw .contentRefused("The importer reads \(declared.rawValue) files, but this file is "
                                      + (format == .xlsx ? "an XLSX workbook." : "text (\(format.rawValue))."),
                                      accepted: accepted.isEmpty ? [declared.rawValue] : accepted)
            }
            if !(declared == .xlsx && format != .xlsx) { format = declared }
        }
        if !accepted.isEmpty && !accepted.contains(format.rawValue) && !isFailedRowsExport {
            throw .unsupportedFormat(found: format.rawValue, accepted: accepted)
        }
        if format == .csv || format == .tsv, let found = readHeader(format), !found.isEmpty {
            let resolution = compiled.resolve(header: SourceHeader.prepare(found))
            if resolution.readsHeaders && !resolution.matchesAnyHeader {
                throw .sourceUnavailable(Self.unmatchedHeaders(found: found, compiled: compiled))
            }
        }
        return format.rawValue
    }

    /// "None of the file's headers match …", naming (a bounded number of) the headers found and
    /// those the importer reads.
    static func unmatchedHeaders(found: [String], compiled: CompiledImporter) -> String {
        func list(_ names: [String]) -> String {
            let shown = names.prefix(20).map { name -> String in
                let clean = String(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
                return clean.count > 60 ? String(clean.prefix(60)) + "…" : clean
            }
            return shown.joined(separator: ", ") + (names.count > 20 ? ", … (\(names.count) in all)" : "")
        }
        var expected: [String] = []
        for column in compiled.definition.columns {
            switch column.input {
            case .from(let names): if let first = names.first { expected.append(first) }
            case .template(let text): expected.append(text)
            case .value: continue
            }
        }
        return "None of the file's headers match a column of the importer. Found: \(list(found)). Expected: \(list(expected))."
    }

    /// A reader's lower-case message as a sentence: capitalised, with a final period.
    static func sentence(_ message: String) -> String {
        let capital = message.prefix(1).uppercased() + message.dropFirst()
        return capital.hasSuffix(".") ? capital : capital + "."
    }
}
