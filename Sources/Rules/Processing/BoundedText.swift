import Foundation

/// The transforms that can multiply a value's size, built with a cap: they stop as soon as the
/// output passes `limit` UTF-8 bytes, so a hostile cell never makes a large string first and
/// fails afterwards. `nil` means "larger than the limit". (`regex_replace` is capped the same
/// way by `LinearRegex.replacing(in:with:limit:)`.)
///
/// The other steps grow a value by a small factor at most (`slug` writes `@` as `-at-`, case
/// mapping can triple a character); `RowProcessor` checks the size after every step, so they
/// stay within a few times the limit.
enum BoundedText {
    /// `replace`: every occurrence of `from` (non-empty) replaced with `to`.
    static func replacing(_ s: String, _ from: String, with to: String, limit: Int) -> String? {
        guard !from.isEmpty else { return s.utf8.count > limit ? nil : s }
        // At most one match per character, each adding at most `to`: under the limit, no capped loop is needed.
        let (grown, overflow) = s.utf8.count.multipliedReportingOverflow(by: to.utf8.count + 1)
        if !overflow && grown <= limit {
            return s.replacingOccurrences(of: from, with: to)
        }
        var out = ""
        var rest = s[...]
        while let match = rest.range(of: from) {
            out += rest[..<match.lowerBound]
            out += to
            if out.utf8.count > limit { return nil }
            rest = rest[match.upperBound...]
        }
        out += rest
        return out.utf8.count > limit ? nil : out
    }

    /// A value's size in UTF-8 bytes (a list: its items together; a number: its text).
    static func size(of value: CellValue) -> Int {
        switch value {
        case .text(let s): return s.utf8.count
        case .number: return 24
        case .list(let items): return items.reduce(0) { $0 + $1.utf8.count }
        }
    }
}
