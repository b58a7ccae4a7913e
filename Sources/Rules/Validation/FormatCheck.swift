/// Byte-level checks for the format rules (`email`, `url`, `uuid`, `ip`, `alpha*`, `digits`).
///
/// Each runs once per cell, so each works on UTF-8 bytes with an ASCII fast path and allocates
/// nothing for ASCII input.
package enum FormatCheck {
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = text.utf8.withContiguousStorageIfAvailable(body) { return r }
        // Small (inline) strings have no contiguous storage to lend: withUTF8 spills them to the
        // stack, where Array(text.utf8) would allocate on the heap for every cell.
        var copy = text
        return copy.withUTF8(body)
    }

    // MARK: email

    /// Laravel's default `email` rule (egulias `RFCValidation`), decided on bytes:
    /// `local@domain` where local is a dot-atom (RFC 5322 `atext`, no leading, trailing or
    /// doubled dots) or a quoted string, and domain is dot-separated labels of letters, digits
    /// and inner hyphens, or an address literal `[…]`. UTF-8 is allowed in both parts
    /// (RFC 6531). Like Laravel, a dot-less domain (`a@localhost`) passes: RFC validation does
    /// not require a TLD (that is `email:filter`).
    package static func isEmail(_ text: String) -> Bool { withBytes(text, isEmail(bytes:)) }

    static func isEmail(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n >= 3, n <= 320 else { return false }
        var at = -1
        var i = 0
        // Local part.
        if b[0] == UInt8(ascii: "\"") {
            i = 1
            var closed = false
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\\") { guard i + 1 < n, b[i + 1] >= 32 || b[i + 1] == 9 else { return false }; i += 2; continue }
                if c == UInt8(ascii: "\"") { closed = true; i += 1; break }
                guard c >= 32 || c == 9, c != 127 else { return false }
                i += 1
            }
            guard closed, i < n, b[i] == UInt8(ascii: "@") else { return false }
            at = i
        } else {
            var previousDot = true  // a leading dot is as bad as a doubled one
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "@") { break }
                if c == UInt8(ascii: ".") {
                    if previousDot { return false }
                    previousDot = true
                } else {
                    guard isAtext(c) else { return false }
                    previousDot = false
                }
                i += 1
            }
            guard i < n, !previousDot else { return false }
            at = i
        }
        guard at >= 1, at + 1 < n else { return false }
        return isEmailDomain(UnsafeBufferPointer(rebasing: b[(at + 1)...]))
    }

    /// RFC 5322 `atext` as a 128-bit table: letters, digits and ``!#$%&'*+/=?^_`{|}~-``
    /// (bytes 0–63 and 64–127; checked against the character list in the tests).
    static let atextLow: UInt64 = 0xA3FF_ACFA_0000_0000
    static let atextHigh: UInt64 = 0x7FFF_FFFF_C7FF_FFFE

    @inline(__always)
    static func isAtext(_ c: UInt8) -> Bool {
        if c >= 0x80 { return true }
        return c < 64 ? (0xA3FF_ACFA_0000_0000 as UInt64 >> UInt64(c)) & 1 == 1 : (0x7FFF_FFFF_C7FF_FFFE as UInt64 >> UInt64(c - 64)) & 1 == 1
    }

    static func isEmailDomain(_ d: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = d.count
        guard n >= 1, n <= 255 else { return false }
        if d[0] == UInt8(ascii: "[") {
            guard d[n - 1] == UInt8(ascii: "]"), n > 2 else { return false }
            let inner = String(decoding: UnsafeBufferPointer(rebasing: d[1..<(n - 1)]), as: UTF8.self)
            if inner.hasPrefix("IPv6:") { return isIPv6(String(inner.dropFirst(5))) }
            return isIPv4(inner)
        }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for c in d {
            if c == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                let ok = c >= 0x80 || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
                    || (c == UInt8(ascii: "-") && labelLength > 0)
                guard ok else { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = c
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    // MARK: url

    /// Laravel's `url` rule, simplified: `scheme://host[:port][/path][?query][#fragment]`, where
    /// the scheme is a letter followed by letters, digits, `+ - .`; the host is a domain (labels
    /// of letters, digits, `-`, `_`), `localhost`, an IPv4 address or `[IPv6]`; userinfo allowed;
    /// no whitespace anywhere.
    static func isURL(_ text: String) -> Bool { withBytes(text, isURL(bytes:)) }

    static func isURL(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        guard n > 0, isAlpha(b[0]) else { return false }
        while i < n, isAlpha(b[i]) || isDigit(b[i]) || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: ".") { i += 1 }
        guard i + 3 <= n, b[i] == UInt8(ascii: ":"), b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/") else { return false }
        i += 3
        var authorityEnd = i
        while authorityEnd < n, b[authorityEnd] != UInt8(ascii: "/"), b[authorityEnd] != UInt8(ascii: "?"), b[authorityEnd] != UInt8(ascii: "#") {
            authorityEnd += 1
        }
        for k in i..<n where b[k] <= 32 || b[k] == 127 { return false }
        var hostStart = i
        for k in i..<authorityEnd where b[k] == UInt8(ascii: "@") { hostStart = k + 1 }
        guard hostStart < authorityEnd else { return false }
        var hostEnd = authorityEnd
        if b[hostStart] == UInt8(ascii: "[") {
            guard let close = (hostStart..<authorityEnd).first(where: { b[$0] == UInt8(ascii: "]") }) else { return false }
            let v6 = String(decoding: UnsafeBufferPointer(rebasing: b[(hostStart + 1)..<close]), as: UTF8.self)
            guard isIPv6(v6) else { return false }
            hostEnd = close + 1
        } else {
            if let colon = (hostStart..<authorityEnd).first(where: { b[$0] == UInt8(ascii: ":") }) { hostEnd = colon }
            guard hostEnd > hostStart else { return false }
            var label = 0
            for k in hostStart..<hostEnd {
                let c = b[k]
                if c == UInt8(ascii: ".") { guard label > 0 else { return false }; label = 0; continue }
                guard c >= 0x80 || isAlpha(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") else { return false }
                label += 1
            }
            guard label > 0 else { return false }
        }
        if hostEnd < authorityEnd {
            guard b[hostEnd] == UInt8(ascii: ":"), hostEnd + 1 < authorityEnd else { return false }
            for k in (hostEnd + 1)..<authorityEnd where !isDigit(b[k]) { return false }
        }
        return true
    }

    // MARK: uuid, ip

    /// Laravel's `uuid`: 8-4-4-4-12 hexadecimal digits, any version, either case.
    static func isUUID(_ text: String) -> Bool {
        withBytes(text) { b in
            guard b.count == 36 else { return false }
            for (i, c) in b.enumerated() {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard c == UInt8(ascii: "-") else { return false }
                } else if HexDigit.value(c) == nil {
                    return false
                }
            }
            return true
        }
    }

    /// PHP's `FILTER_VALIDATE_IP`: a dotted quad without leading zeros, or an IPv6 address.
    static func isIP(_ text: String) -> Bool { isIPv4(text) || isIPv6(text) }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  !(p.count > 1 && p.hasPrefix("0")), let v = Int(p), v <= 255 else { return false }
        }
        return true
    }

    /// RFC 4291 text forms, including `::` compression and a trailing dotted quad.
    static func isIPv6(_ text: String) -> Bool {
        guard text.utf8.count >= 2, text.utf8.count <= 45 else { return false }
        var groups = 0
        var sawDoubleColon = false
        let scalars = Array(text.utf8)
        var i = 0
        if scalars.starts(with: [58, 58]) { sawDoubleColon = true; i = 2; if i == scalars.count { return true } }
        else if scalars.first == 58 { return false }
        while i < scalars.count {
            var j = i
            while j < scalars.count, scalars[j] != 58 { j += 1 }
            let group = scalars[i..<j]
            if j == scalars.count, group.contains(46) {
                guard isIPv4(String(decoding: group, as: UTF8.self)) else { return false }
                groups += 2
            } else {
                guard !group.isEmpty, group.count <= 4, group.allSatisfy({ HexDigit.value($0) != nil }) else { return false }
                groups += 1
            }
            if j == scalars.count { break }
            // j is at ':'
            if j + 1 < scalars.count, scalars[j + 1] == 58 {
                guard !sawDoubleColon else { return false }
                sawDoubleColon = true
                i = j + 2
                if i == scalars.count { break }
            } else {
                i = j + 1
                guard i < scalars.count else { return false }
            }
        }
        return sawDoubleColon ? groups < 8 : groups == 8
    }

    // MARK: letters and digits

    /// `ascii` (Laravel's `Str::isAscii`): every byte printable ASCII (0x20–0x7E), a tab or a
    /// line break; no other control and nothing outside ASCII.
    static func isASCII(_ text: String) -> Bool {
        withBytes(text) { b in
            b.allSatisfy { c in (c >= 0x20 && c <= 0x7E) || c == 0x09 || c == 0x0A || c == 0x0D }
        }
    }

    /// `alpha`: letters and marks only (`\pL\pM`); `alpha_num` adds numbers; `alpha_dash` adds `-` and `_`.
    enum Letters { case alpha, alphaNum, alphaDash }

    static func isLetters(_ text: String, _ kind: Letters) -> Bool {
        guard !text.isEmpty else { return false }
        let asciiResult: Bool? = withBytes(text) { b in
            for c in b {
                if c >= 0x80 { return nil }
                if isAlpha(c) { continue }
                if kind != .alpha && isDigit(c) { continue }
                if kind == .alphaDash && (c == UInt8(ascii: "-") || c == UInt8(ascii: "_")) { continue }
                return false
            }
            return true
        }
        if let asciiResult { return asciiResult }
        for s in text.unicodeScalars {
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            case .decimalNumber, .letterNumber, .otherNumber:
                if kind == .alpha { return false }
            default:
                if kind == .alphaDash && (s == "-" || s == "_") { continue }
                return false
            }
        }
        return true
    }

    /// Only ASCII digits; the count for `digits` / `digits_between`, or nil when not all digits.
    static func digitCount(_ text: String) -> Int? {
        withBytes(text) { b in
            for c in b where !isDigit(c) { return nil }
            return b.count
        }
    }

    /// Characters as PHP's `mb_strlen` counts them: Unicode scalars.
    static func length(_ text: String) -> Int {
        withBytes(text) { b in
            guard let base = b.baseAddress else { return 0 }
            // Bytes less continuation bytes (10xxxxxx), eight at a time: bit 7 set and bit 6
            // clear is `w & ~(w << 1)` at each byte's top bit.
            let raw = UnsafeRawPointer(base)
            var continuation = 0, i = 0
            while i + 8 <= b.count {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                continuation += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                i += 8
            }
            while i < b.count {
                if base[i] & 0xC0 == 0x80 { continuation += 1 }
                i += 1
            }
            return b.count - continuation
        }
    }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}
