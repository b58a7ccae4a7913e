import Foundation

/// A compiled `regex:`/`not_regex:` pattern: `ByteRegex` when it can, ICU otherwise.
///
/// Both answer the same question with the same (ICU) semantics; only speed differs.
final class PatternMatcher: Sendable {
    enum Engine: Sendable {
        case bytes(ByteRegex)
        case foundation(FoundationRegex)
    }

    let engine: Engine
    /// The text as written, for messages.
    let source: String

    init(engine: Engine, source: String) { self.engine = engine; self.source = source }

    /// Compiles `/pattern/flags` (or a bare pattern); the error says why in words.
    static func compile(_ text: String) -> Result<PatternMatcher, PatternError> {
        let literal: RegexLiteral
        switch RegexLiteral.parse(text) {
        case .success(let l): literal = l
        case .failure(let e): return .failure(PatternError(message: e.description))
        }
        if let fast = ByteRegex.compile(literal) { return .success(PatternMatcher(engine: .bytes(fast), source: text)) }
        switch FoundationRegex.compile(literal) {
        case .success(let r): return .success(PatternMatcher(engine: .foundation(r), source: text))
        case .failure(let e): return .failure(e)
        }
    }

    /// Whether the pattern matches anywhere in `text` (PCRE `preg_match` semantics).
    func matches(_ text: String) -> Bool {
        switch engine {
        case .bytes(let r): return r.matches(text)
        case .foundation(let r): return r.matches(text)
        }
    }

    /// Whether the fast engine handles this pattern (for tests and diagnostics).
    var usesByteRegex: Bool {
        if case .bytes = engine { return true }
        return false
    }
}

/// A pattern that could not be compiled.
struct PatternError: Error, Sendable, Equatable {
    let message: String
}

/// NSRegularExpression, boxed: it is immutable after creation and documented thread-safe.
final class FoundationRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init(regex: NSRegularExpression) { self.regex = regex }

    static func compile(_ literal: RegexLiteral) -> Result<FoundationRegex, PatternError> {
        var options: NSRegularExpression.Options = []
        if literal.caseInsensitive { options.insert(.caseInsensitive) }
        if literal.multiline { options.insert(.anchorsMatchLines) }
        if literal.dotAll { options.insert(.dotMatchesLineSeparators) }
        if literal.extended { options.insert(.allowCommentsAndWhitespace) }
        do {
            return .success(FoundationRegex(regex: try NSRegularExpression(pattern: literal.pattern, options: options)))
        } catch {
            return .failure(PatternError(message: "invalid regex '\(literal.pattern)'"))
        }
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// Replaces every match with `template` (`$1` refers to groups).
    func replace(in text: String, with template: String) -> String {
        let range = NSRange(location: 0, length: text.utf16.count)
        return regex.stringByReplacingMatches(in: text, options: [], range: range, withTemplate: template)
    }
}
