import Definitions
import Rules
import Tabular

/// Where a run's rows come from.
enum RowSource: Sendable {
    /// A local file (upload, data-root path, downloaded URL); `fileName` is the user's name for it.
    case file(path: String, fileName: String?)
    /// A file opened already (a `filesystem` source, opened beneath the data root): read from
    /// that open file, never reopened by path.
    case opened(OpenedFile, fileName: String?)
    /// The failed rows logged for an earlier run (a retry).
    case storedRows(database: DatabaseLocation, runID: Int64)

    /// Opens the reader. Called on the parse thread's behalf before it starts. JSON and NDJSON
    /// readers keep only the keys the importer reads (its `from` names and template headers):
    /// an object's other keys are dropped as they are read, so they cost no memory, and neither
    /// the header nor the row log holds them.
    func open(importer: CompiledImporter) throws -> any TableReader {
        var options = RowSource.readOptions(for: importer.definition.source)
        options.keySelection = KeySelection(importer.readsHeader)
        options.rawJSONKeys = importer.nestPaths
        switch self {
        case .file(let path, let fileName):
            // A declared xlsx admits one text file, checked when the run was created: Ingest's own
            // failed-rows CSV. Its content decides how it is read.
            if options.format == .xlsx, try TableReaders.detect(path: path, fileName: fileName).format != .xlsx { options.format = nil }
            return try FailedRowsFile.restoring(TableReaders.open(path: path, fileName: fileName, options: options))
        case .opened(let file, let fileName):
            if options.format == .xlsx, try TableReaders.detect(file: file, fileName: fileName).format != .xlsx { options.format = nil }
            return try FailedRowsFile.restoring(TableReaders.open(file: file, fileName: fileName, options: options))
        case .storedRows(let database, let runID):
            return try StoredRowsReader(store: RunStore(location: database), runID: runID)
        }
    }

    /// The reader options a definition's `source` asks for.
    static func readOptions(for source: SourceSpec) -> ReadOptions {
        var options = ReadOptions()
        options.format = source.format.flatMap { ReadOptions.Format(rawValue: $0.rawValue) }
        options.delimiter = source.csv.delimiter
        options.quote = source.csv.quote
        options.encoding = source.csv.encoding.flatMap { ReadOptions.Encoding(rawValue: $0.rawValue) }
        options.headerRow = source.csv.headerRow
        switch source.xlsx.sheet {
        case .name(let n)?: options.sheet = .name(n)
        case .index(let i)?: options.sheet = .index(i)
        case nil: options.sheet = nil
        }
        options.jsonPointer = source.json.pointer
        return options
    }
}
