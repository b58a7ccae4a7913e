/// A `template` (`"{First Name} {Last Name}"`) or a `value` with run facts (`"{{run.id}}"`),
/// split into pieces once at compile time.
struct InputTemplate: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        case header(String)
        case runFact(RunFactName)
    }

    let pieces: [Piece]

    /// Whether any piece needs the run (so the value is only known when the run starts).
    var usesRunFacts: Bool { pieces.contains { if case .runFact = $0 { return true }; return false } }

    /// Parses `{{run.x}}` always, and `{Header}` when `headers` is true (templates, not values).
    static func parse(_ text: String, headers: Bool) -> Result<InputTemplate, PatternError> {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[rest.startIndex..<open]
            let afterOpen = rest.index(after: open)
            if rest[afterOpen...].hasPrefix("{") {
                let nameStart = rest.index(after: afterOpen)
                guard let close = rest[nameStart...].firstRange(of: "}}") else {
                    return .failure(PatternError(message: "unclosed '{{' in '\(text)'"))
                }
                let name = rest[nameStart..<close.lowerBound].trimmingSpaces()
                guard let fact = RunFactName(rawValue: name) else {
                    return .failure(PatternError(message: "unknown run fact '\(name)' (known: \(RunFactName.allCases.map(\.rawValue).joined(separator: ", ")))"))
                }
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                pieces.append(.runFact(fact))
                rest = rest[close.upperBound...]
            } else if headers {
                guard let close = rest[afterOpen...].firstIndex(of: "}") else {
                    return .failure(PatternError(message: "unclosed '{' in '\(text)'"))
                }
                let name = String(rest[afterOpen..<close])
                guard !name.isEmpty else { return .failure(PatternError(message: "empty '{}' in '\(text)'")) }
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                pieces.append(.header(name))
                rest = rest[rest.index(after: close)...]
            } else {
                literal += "{"
                rest = rest[afterOpen...]
            }
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return .success(InputTemplate(pieces: pieces))
    }
}

/// The run facts a template may name.
enum RunFactName: String, Sendable, Equatable, CaseIterable {
    case id = "run.id"
    case originalFilename = "run.original_filename"
    case startedAt = "run.started_at"

    func value(in run: RunFacts) -> String {
        switch self {
        case .id: return String(run.id)
        case .originalFilename: return run.originalFilename ?? ""
        case .startedAt: return run.startedAt
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
