/// A compiled pattern whose matching time is linear in the input: at most (program size ×
/// input length) steps for `matches`, (program size × slots × input length) for `replacing`,
/// whatever the pattern or the input. Immutable, so one value serves any number of threads.
///
/// Patterns are ICU syntax (see `RegexParser`); the constructs that need backtracking are
/// refused when the pattern is compiled, with a message naming them.
package final class LinearRegex: Sendable {
    /// Largest program, in instructions, after counted repetitions are expanded. Matching
    /// costs at most this many steps per input scalar (per scalar and slot for replacement).
    package static let maxInstructions = 10_000

    package let pattern: String
    package let options: RegexOptions
    /// Capturing groups, named ones included.
    package let groupCount: Int
    /// Without capture slots: for "is there a match".
    let matcher: Machine
    /// With capture slots: for replacement.
    let capturer: Machine

    package init(_ pattern: String, options: RegexOptions = []) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern: pattern, options: options)
        let node = try parser.parse()
        self.pattern = pattern
        self.options = options
        self.groupCount = parser.captureCount
        do {
            matcher = Machine(try Compiler.compile(node, groupCount: groupCount, captures: false, limit: Self.maxInstructions))
            capturer = Machine(try Compiler.compile(node, groupCount: groupCount, captures: true, limit: Self.maxInstructions))
        } catch {
            throw RegexSyntaxError(.tooLarge(limit: Self.maxInstructions), pattern: pattern, offset: 0)
        }
    }

    /// Compiles a `/pattern/flags` literal.
    package convenience init(literal: RegexLiteral) throws(RegexSyntaxError) {
        try self.init(literal.pattern, options: literal.options)
    }

    /// Whether the pattern matches anywhere in `text`.
    package func matches(_ text: String) -> Bool {
        Input.withBytes(text) { matcher.isMatch($0) }
    }

    /// Every match (leftmost-first, not overlapping, as ICU iterates them) as byte ranges of
    /// `text`: the whole match first, then each group (nil when it did not take part).
    package func matchRanges(in text: String) -> [[Range<Int>?]] {
        var all: [[Range<Int>?]] = []
        Input.withBytes(text) { bytes in
            capturer.forEachMatch(bytes) { slots in
                all.append((0...groupCount).map { g in
                    slots[2 * g] >= 0 && slots[2 * g + 1] >= slots[2 * g] ? slots[2 * g]..<slots[2 * g + 1] : nil
                })
                return true
            }
        }
        return all
    }

    /// `text` with every match replaced by `template` (groups substituted).
    package func replacing(in text: String, with template: ReplacementTemplate) -> String {
        // Without a limit there is always a result.
        replacing(in: text, with: template, limit: .max) ?? text
    }

    /// `text` with every match replaced by `template`, or nil as soon as the output passes
    /// `limit` bytes: the search stops there, so an empty match between every two characters of
    /// a large cell cannot multiply it.
    package func replacing(in text: String, with template: ReplacementTemplate, limit: Int) -> String? {
        Input.withBytes(text) { bytes -> String? in
            var out: [UInt8] = []
            var copied = 0
            var over = false
            capturer.forEachMatch(bytes) { slots in
                if out.capacity == 0 { out.reserveCapacity(min(bytes.count, limit) + 16) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<slots[0]]))
                template.append(to: &out, input: bytes, slots: slots)
                copied = slots[1]
                over = out.count > limit
                return !over
            }
            if over { return nil }
            if copied == 0 && out.isEmpty { return bytes.count > limit ? nil : text }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return out.count > limit ? nil : String(decoding: out, as: UTF8.self)
        }
    }
}

extension LinearRegex {
    /// Compiles a `regex_replace` pattern: `/pattern/flags`, or a bare pattern (see `RegexLiteral`).
    package static func compile(replacePattern text: String) -> Result<LinearRegex, RegexTextError> {
        switch RegexLiteral.parse(text) {
        case .failure(let e): return .failure(.literal(e))
        case .success(let literal):
            do { return .success(try LinearRegex(literal: literal)) } catch { return .failure(.syntax(error)) }
        }
    }
}

/// Why a definition's regex text cannot be used: its delimiters and flags, or the pattern.
package enum RegexTextError: Error, Sendable, Equatable, CustomStringConvertible {
    case literal(RegexLiteralError)
    case syntax(RegexSyntaxError)

    package var description: String {
        switch self {
        case .literal(let e): return e.description
        case .syntax(let e): return e.description
        }
    }
}
