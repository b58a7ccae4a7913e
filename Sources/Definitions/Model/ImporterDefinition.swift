/// One importer, decoded from `importers/<slug>.json` and checked for shape.
///
/// This is the *syntax* of a definition: every name is known to exist in the vocabulary
/// (rules, transforms, types), but nothing here executes. `Rules` compiles it into a pipeline.
public struct ImporterDefinition: Sendable, Equatable {
    /// Id in URLs and the CLI, `^[a-z0-9][a-z0-9-]*$`; defaults to the file name.
    public var slug: String
    public var name: String?
    public var description: String?
    public var source: SourceSpec
    public var target: TargetSpec
    /// Target columns in the order they appear in the file.
    public var columns: [ColumnSpec]
    public var headers: HeaderSpec
    public var transaction: TransactionMode
    /// Rows per transaction and per progress update (default 1000).
    public var chunkSize: Int
    public var rowLog: RowLogLevel
    public var errorBudget: ErrorBudget?
    public var examples: [ExampleSpec]

    public init(
        slug: String, name: String? = nil, description: String? = nil,
        source: SourceSpec = SourceSpec(), target: TargetSpec, columns: [ColumnSpec],
        headers: HeaderSpec = HeaderSpec(), transaction: TransactionMode = .none,
        chunkSize: Int = 1000, rowLog: RowLogLevel = .failed, errorBudget: ErrorBudget? = nil,
        examples: [ExampleSpec] = []
    ) {
        self.slug = slug; self.name = name; self.description = description
        self.source = source; self.target = target; self.columns = columns
        self.headers = headers; self.transaction = transaction; self.chunkSize = chunkSize
        self.rowLog = rowLog; self.errorBudget = errorBudget; self.examples = examples
    }
}

/// What a failure undoes; see DEFINITIONS.md.
public enum TransactionMode: String, Sendable, Equatable, CaseIterable {
    case none, row, chunk, all
}

/// Which rows `ingest_rows` keeps.
public enum RowLogLevel: String, Sendable, Equatable, CaseIterable {
    case failed, all, none
}

/// Past this budget a run stops as `failed`.
public struct ErrorBudget: Sendable, Equatable {
    public var maxFailedRows: Int?
    /// 0...1, compared against failed / processed after each chunk.
    public var maxFailedRatio: Double?
    public init(maxFailedRows: Int? = nil, maxFailedRatio: Double? = nil) {
        self.maxFailedRows = maxFailedRows; self.maxFailedRatio = maxFailedRatio
    }
}

/// How source headers are matched to `from` names.
public struct HeaderSpec: Sendable, Equatable {
    public enum Match: String, Sendable, Equatable, CaseIterable { case exact, normalized }
    public var match: Match
    /// Every `from` column must find its header, else the run fails before any row.
    public var strict: Bool
    public init(match: Match = .normalized, strict: Bool = false) { self.match = match; self.strict = strict }
}
