/// One importer, decoded from `importers/<slug>.json` and checked for shape.
///
/// This is the *syntax* of a definition: every name is known to exist in the vocabulary
/// (rules, transforms, types), but nothing here executes. `Rules` compiles it into a pipeline.
package struct ImporterDefinition: Sendable, Equatable {
    /// Id in URLs and the CLI, `^[a-z0-9][a-z0-9-]*$`; defaults to the file name.
    package var slug: String
    /// For people.
    package var name: String?
    /// For people.
    package var description: String?
    /// Where rows come from (default: uploads of any format).
    package var source: SourceSpec
    /// The table rows land in.
    package var target: TargetSpec
    /// Target columns in the order they appear in the file.
    package var columns: [ColumnSpec]
    /// How headers are matched (default: normalized, not strict).
    package var headers: HeaderSpec
    /// What a failure undoes (default `none`).
    package var transaction: TransactionMode
    /// Rows per transaction and per progress update (default 1000).
    package var chunkSize: Int
    /// Which rows `ingest_rows` keeps (default `failed`).
    package var rowLog: RowLogLevel
    /// Past this a run stops as `failed`; nil means no budget.
    package var errorBudget: ErrorBudget?
    /// Caps on what a row's values may grow to through templates and transforms.
    package var limits: ValueLimits
    /// Rows with expected outcomes, run by `ingest check`.
    package var examples: [ExampleSpec]
    /// Where run lifecycle events are POSTed (docs/WEBHOOKS.md); none by default.
    package var webhooks: [WebhookSpec]
    /// Arrays inside each source object imported into child tables (`nest`); none by default.
    package var nests: [NestSpec]

    package init(
        slug: String, name: String? = nil, description: String? = nil,
        source: SourceSpec = SourceSpec(), target: TargetSpec, columns: [ColumnSpec],
        headers: HeaderSpec = HeaderSpec(), transaction: TransactionMode = .none,
        chunkSize: Int = 1000, rowLog: RowLogLevel = .failed, errorBudget: ErrorBudget? = nil,
        examples: [ExampleSpec] = [], limits: ValueLimits = ValueLimits(), webhooks: [WebhookSpec] = [],
        nests: [NestSpec] = []
    ) {
        self.slug = slug; self.name = name; self.description = description
        self.source = source; self.target = target; self.columns = columns
        self.headers = headers; self.transaction = transaction; self.chunkSize = chunkSize
        self.rowLog = rowLog; self.errorBudget = errorBudget; self.examples = examples
        self.limits = limits; self.webhooks = webhooks; self.nests = nests
    }
}

/// What a failure undoes; see DEFINITIONS.md.
package enum TransactionMode: String, Sendable, Equatable, CaseIterable {
    case none, row, chunk, all
}

/// Which rows `ingest_rows` keeps.
package enum RowLogLevel: String, Sendable, Equatable, CaseIterable {
    case failed, all, none
}

/// Past this budget a run stops as `failed`.
package struct ErrorBudget: Sendable, Equatable {
    /// Failed rows tolerated (≥ 0); nil means no limit on the count.
    package var maxFailedRows: Int?
    /// 0...1, compared against failed / processed after each chunk.
    package var maxFailedRatio: Double?
    package init(maxFailedRows: Int? = nil, maxFailedRatio: Double? = nil) {
        self.maxFailedRows = maxFailedRows; self.maxFailedRatio = maxFailedRatio
    }
}

/// Caps on the size of a row's values after templates and transforms, so that no cell (an 8 KB
/// cell under a template that repeats it, an empty-match `regex_replace`) can make one row take
/// unbounded memory. A value or row past its cap fails the row with a message naming the cap.
package struct ValueLimits: Sendable, Equatable {
    /// Largest value of one column, in UTF-8 bytes, after its template and every transform step
    /// (a list from `split`: its items together). Default 1 MiB.
    package var maxValueBytes: Int
    /// Largest sum of a row's values, in UTF-8 bytes, after transforms. Default 16 MiB.
    package var maxRowBytes: Int
    /// The highest either cap may be set to: 1 GiB (about SQLite's largest value).
    package static let ceiling = 1 << 30
    package static let defaultValueBytes = 1 << 20
    package static let defaultRowBytes = 16 << 20

    package init(maxValueBytes: Int = ValueLimits.defaultValueBytes, maxRowBytes: Int = ValueLimits.defaultRowBytes) {
        self.maxValueBytes = maxValueBytes; self.maxRowBytes = maxRowBytes
    }
}

/// How source headers are matched to `from` names.
package struct HeaderSpec: Sendable, Equatable {
    /// `exact`, or `normalized` (case, spacing, `_`/`-`/punctuation and accents ignored).
    package enum Match: String, Sendable, Equatable, CaseIterable { case exact, normalized }
    /// Default `normalized`.
    package var match: Match
    /// Every `from` column must find its header, else the run fails before any row.
    package var strict: Bool
    package init(match: Match = .normalized, strict: Bool = false) { self.match = match; self.strict = strict }
}
