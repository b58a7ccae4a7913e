import Foundation

/// The string operations behind transforms and header matching, each with an ASCII fast path
/// that returns its input untouched (no allocation) when there is nothing to change.
enum TextOps {
    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }

    /// Trims whitespace at both ends (Unicode whitespace too, like Laravel's `Str::trim`).
    static func trim(_ s: String) -> String {
        let untouched: Bool = FormatCheck.withBytes(s) { b in
            guard let first = b.first, let last = b.last else { return true }
            return first < 0x80 && last < 0x80 && !isASCIISpace(first) && !isASCIISpace(last)
        }
        if untouched { return s }
        let chars = Substring(s)
        guard let start = chars.firstIndex(where: { !$0.isWhitespace }),
              let end = chars.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(chars[start...end])
    }

    /// Replaces every run of whitespace with one space (ends are kept: combine with `trim`).
    static func collapseWhitespace(_ s: String) -> String {
        let needsWork: Bool = FormatCheck.withBytes(s) { b in
            var previousSpace = false
            for c in b {
                if c >= 0x80 || (c >= 9 && c <= 13) { return true }
                let space = c == 32
                if space && previousSpace { return true }
                previousSpace = space
            }
            return false
        }
        guard needsWork else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var inSpace = false
        for ch in s {
            if ch.isWhitespace {
                if !inSpace { out.append(" ") }
                inSpace = true
            } else {
                out.append(ch); inSpace = false
            }
        }
        return out
    }

    static func lowercase(_ s: String) -> String { changeCase(s, upper: false) }
    static func uppercase(_ s: String) -> String { changeCase(s, upper: true) }

    private static func changeCase(_ s: String, upper: Bool) -> String {
        let low: UInt8 = upper ? 97 : 65, high: UInt8 = upper ? 122 : 90
        let state: Int = FormatCheck.withBytes(s) { b in
            var found = 0
            for c in b {
                if c >= 0x80 { return 2 }
                if c >= low && c <= high { found = 1 }
            }
            return found
        }
        switch state {
        case 0: return s
        case 1:
            return String(unsafeUninitializedCapacity: s.utf8.count) { buf in
                var i = 0
                for c in s.utf8 { buf[i] = c >= low && c <= high ? c ^ 0x20 : c; i += 1 }
                return i
            }
        default:
            return upper ? s.uppercased() : s.lowercased()
        }
    }

    /// Laravel's `Str::title`: the first letter of each word upper case, the rest lower case.
    static func titleCase(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var atWordStart = true
        for ch in s {
            if ch.isLetter || ch.isNumber || ch == "'" {
                out += atWordStart ? ch.uppercased() : ch.lowercased()
                atWordStart = false
            } else {
                out.append(ch)
                atWordStart = true
            }
        }
        return out
    }

    /// Removes accents (canonical decomposition minus combining marks): "Crème" → "Creme".
    static func foldAccents(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        var out = String.UnicodeScalarView()
        for u in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch u.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Laravel's `Str::slug`: ASCII-folded, lower case, `@` as `at`, other punctuation dropped,
    /// runs of spaces, `-` and `_` as one `-`, no leading or trailing `-`.
    static func slug(_ s: String) -> String {
        let folded = foldAccents(s).replacingOccurrences(of: "@", with: "-at-").lowercased()
        var out = ""
        var pendingDash = false
        for u in folded.unicodeScalars {
            let p = u.properties
            if u == "-" || u == "_" || p.isWhitespace {
                pendingDash = !out.isEmpty
            } else if p.isAlphabetic || p.numericType != nil {
                if pendingDash { out.append("-"); pendingDash = false }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func stripNonDigits(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }))
    }

    /// `length` characters (Unicode scalars, like `mb_str_pad`), padding on the left with `pad` cycled.
    static func padLeft(_ s: String, length: Int, with pad: String) -> String {
        let count = s.unicodeScalars.count
        guard count < length, !pad.isEmpty else { return s }
        let padScalars = Array(pad.unicodeScalars)
        var out = String.UnicodeScalarView()
        for i in 0..<(length - count) { out.append(padScalars[i % padScalars.count]) }
        out.append(contentsOf: s.unicodeScalars)
        return String(out)
    }

    /// PHP `mb_substr`: negative `start` counts from the end; negative `length` leaves that many off.
    static func substring(_ s: String, start: Int, length: Int?) -> String {
        let scalars = Array(s.unicodeScalars)
        let n = scalars.count
        var from = start < 0 ? max(0, n + start) : min(start, n)
        var to = n
        if let length { to = length < 0 ? max(from, n + length) : min(n, from + length) }
        from = min(from, to)
        return String(String.UnicodeScalarView(scalars[from..<to]))
    }
}
