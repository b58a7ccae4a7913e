import Foundation
import Definitions
import RegexEngine

/// One compiled transform step: a `TransformSpec` with its regex compiled and its tables built.
///
/// After `split`, text steps apply to every item, and items that become empty are dropped.
enum Transform: Sendable {
    case trim, collapseWhitespace, lowercase, uppercase, titleCase, slug, stripNonDigits
    case replace(from: String, to: String)
    case regexReplace(LinearRegex, with: ReplacementTemplate)
    case nullIf(Set<String>)
    /// Mapped texts (nil for a JSON null target); `fallback` for unmapped values, nil keeps them.
    case map([String: String?], fallback: String??)
    case prefix(String), suffix(String)
    case padLeft(length: Int, with: String)
    case substring(start: Int, length: Int?)
    case multiply(Double), divide(Double)
    case round(Int)
    case split(String)
    /// The cells of source columns joined by `separator`, empty ones skipped. `keys` are the
    /// header keys (under the definition's matching); `cells` their indexes in the file's
    /// header (-1: missing), set when a processor is made for a file.
    case concat(keys: [String], cells: [Int], separator: String)

    /// Why a step could not apply.
    enum Failure: Error, Sendable {
        /// A numeric step met text that is not a number.
        case notANumber
        /// The value grew past the limit it was given (`limits.max_value_bytes`).
        case tooLarge
    }

    /// Compiles a spec; the error explains a bad regex or argument.
    static func compile(_ spec: TransformSpec) -> Result<Transform, PatternError> {
        switch spec {
        case .trim: return .success(.trim)
        case .collapseWhitespace: return .success(.collapseWhitespace)
        case .lowercase: return .success(.lowercase)
        case .uppercase: return .success(.uppercase)
        case .titleCase: return .success(.titleCase)
        case .slug: return .success(.slug)
        case .stripNonDigits: return .success(.stripNonDigits)
        case .replace(let from, let to): return .success(.replace(from: from, to: to))
        case .regexReplace(let pattern, let with):
            switch LinearRegex.compile(replacePattern: pattern) {
            case .success(let r):
                do {
                    return .success(.regexReplace(r, with: try ReplacementTemplate(with, groupCount: r.groupCount)))
                } catch {
                    return .failure(PatternError(message: error.description))
                }
            case .failure(let e): return .failure(PatternError(message: e.description))
            }
        case .nullIf(let values): return .success(.nullIf(Set(values)))
        case .map(let table, let fallback):
            return .success(.map(table.mapValues { $0.text }, fallback: fallback.map { $0.text }))
        case .prefix(let p): return .success(.prefix(p))
        case .suffix(let s): return .success(.suffix(s))
        case .padLeft(let length, let with):
            guard length >= 0, length <= 10_000, !with.isEmpty else {
                return .failure(PatternError(message: "pad_left needs a length between 0 and 10000 and a non-empty 'with'"))
            }
            return .success(.padLeft(length: length, with: with))
        case .substring(let start, let length): return .success(.substring(start: start, length: length))
        case .multiply(let f): return .success(.multiply(f))
        case .divide(let d):
            guard d != 0 else { return .failure(PatternError(message: "divide by zero")) }
            return .success(.divide(d))
        case .round(let places):
            guard places >= 0, places <= 15 else { return .failure(PatternError(message: "round needs 0 to 15 places")) }
            return .success(.round(places))
        case .split(let separator):
            guard !separator.isEmpty else { return .failure(PatternError(message: "split needs a separator")) }
            return .success(.split(separator))
        case .concat(let columns, let separator):
            guard !columns.isEmpty else { return .failure(PatternError(message: "concat needs at least one column")) }
            return .success(.concat(keys: columns, cells: [], separator: separator))
        }
    }

    /// Applies the step. Empty values pass through every step except `map` and `null_if`,
    /// so that `default` still sees them as empty. `replace` and `regex_replace` stop as soon
    /// as their output passes `limit` bytes (`.tooLarge`); the caller checks the other steps.
    func apply(_ value: CellValue, separators: NumberText.Separators, limit: Int) -> Result<CellValue, Failure> {
        switch value {
        case .list(let items):
            switch self {
            case .multiply, .divide, .round: return .failure(.notANumber)
            case .split: return .success(value)
            default:
                var out: [String] = []
                out.reserveCapacity(items.count)
                var size = 0
                for item in items {
                    switch apply(.text(item), separators: separators, limit: limit - size) {
                    case .success(let v):
                        let t = v.text
                        size += t.utf8.count
                        if size > limit { return .failure(.tooLarge) }
                        if !t.isEmpty { out.append(t) }
                    case .failure(let failure): return .failure(failure)
                    }
                }
                return .success(.list(out))
            }
        case .number(let d):
            switch self {
            case .multiply(let f): return .success(.number(d * f))
            case .divide(let f): return .success(.number(d / f))
            case .round(let places): return .success(.number(Transform.round(d, places: places)))
            default: return apply(.text(NumberText.render(d)), separators: separators, limit: limit)
            }
        case .text(let s):
            switch self {
            case .nullIf(let values): return .success(values.contains(s) ? .text("") : value)
            case .map(let table, let fallback):
                if let mapped = table[s] { return .success(.text(mapped ?? "")) }
                if let fallback { return .success(.text(fallback ?? "")) }
                return .success(value)
            default: break
            }
            if s.isEmpty { return .success(value) }
            switch self {
            case .trim: return .success(.text(TextOps.trim(s)))
            case .collapseWhitespace: return .success(.text(TextOps.collapseWhitespace(s)))
            case .lowercase: return .success(.text(TextOps.lowercase(s)))
            case .uppercase: return .success(.text(TextOps.uppercase(s)))
            case .titleCase: return .success(.text(TextOps.titleCase(s)))
            case .slug: return .success(.text(TextOps.slug(s)))
            case .stripNonDigits: return .success(.text(TextOps.stripNonDigits(s)))
            case .replace(let from, let to):
                guard let out = BoundedText.replacing(s, from, with: to, limit: limit) else { return .failure(.tooLarge) }
                return .success(.text(out))
            case .regexReplace(let regex, let with):
                guard let out = regex.replacing(in: s, with: with, limit: limit) else { return .failure(.tooLarge) }
                return .success(.text(out))
            case .prefix(let p): return .success(.text(p + s))
            case .suffix(let x): return .success(.text(s + x))
            case .padLeft(let length, let with): return .success(.text(TextOps.padLeft(s, length: length, with: with)))
            case .substring(let start, let length): return .success(.text(TextOps.substring(s, start: start, length: length)))
            case .multiply, .divide, .round:
                guard let d = NumberText.parseDecimal(s, separators: separators) else { return .failure(.notANumber) }
                return apply(.number(d), separators: separators, limit: limit)
            case .split(let separator):
                let items = s.components(separatedBy: separator).map(TextOps.trim).filter { !$0.isEmpty }
                return .success(.list(items))
            case .nullIf, .map, .concat: return .success(value)
            }
        }
    }

    /// The text-to-text steps on text, without wrapping values: the per-cell fast path.
    /// Returns nil for steps that make numbers or lists, and for output past `limit` (the
    /// caller falls back to `apply`, which says which).
    @inline(__always)
    func applyText(_ s: String, limit: Int) -> String? {
        switch self {
        case .nullIf(let values): return values.contains(s) ? "" : s
        case .map(let table, let fallback):
            if let mapped = table[s] { return mapped ?? "" }
            if let fallback { return fallback ?? "" }
            return s
        case .multiply, .divide, .round, .split, .concat: return nil
        default: break
        }
        if s.isEmpty { return s }
        switch self {
        case .trim: return TextOps.trim(s)
        case .collapseWhitespace: return TextOps.collapseWhitespace(s)
        case .lowercase: return TextOps.lowercase(s)
        case .uppercase: return TextOps.uppercase(s)
        default:
            if case .success(.text(let out)) = apply(.text(s), separators: NumberText.Separators(), limit: limit) { return out }
            return nil
        }
    }

    /// `concat` on a row: the non-empty cells (whitespace only counts as empty) joined by the
    /// separator; nil past `limit` bytes.
    static func concat(_ cells: [Int], separator: String, row: [String], limit: Int) -> String? {
        var out = ""
        var first = true
        for i in cells where i >= 0 && i < row.count {
            let cell = row[i]
            if cell.isEmpty || cell.allSatisfy(\.isWhitespace) { continue }
            if !first { out += separator }
            out += cell
            first = false
            if out.utf8.count > limit { return nil }
        }
        return out
    }

    /// PHP `round`: half away from zero, at `places` decimals.
    static func round(_ d: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (d * scale).rounded(.toNearestOrAwayFromZero) / scale
    }
}
