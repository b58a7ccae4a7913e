/// Rewrites the store seam's `?` placeholders to PostgreSQL's `$1 … $n`.
///
/// A `?` is a placeholder only in SQL text: not inside a string literal (`'…'`, `E'…'` with its
/// backslash escapes), a quoted identifier (`"…"`), a dollar-quoted string (`$tag$…$tag$`), a
/// line comment (`-- …`) or a block comment (`/* … */`, nested). jsonb's `?`, `?|` and `?&`
/// operators therefore cannot be written; use `jsonb_exists`, `jsonb_exists_any` and
/// `jsonb_exists_all` instead.
package enum Placeholders {
    /// The rewritten SQL and the number of placeholders it has.
    package static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let input = Array(sql.utf8)
        guard input.contains(UInt8(ascii: "?")) else { return (sql, 0) }
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 16)
        var count = 0
        var index = 0
        var copied = 0
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "?"):
                count += 1
                output.append(contentsOf: input[copied ..< index])
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
                index += 1
                copied = index
            case UInt8(ascii: "'"):
                let escapes = index > 0 && (input[index - 1] | 0x20) == UInt8(ascii: "e") && !(index > 1 && isIdentifierByte(input[index - 2]))
                index = endOfQuoted(input, from: index, quote: byte, backslashEscapes: escapes)
            case UInt8(ascii: "\""):
                index = endOfQuoted(input, from: index, quote: byte, backslashEscapes: false)
            case UInt8(ascii: "-") where next(input, index) == UInt8(ascii: "-"):
                index = input[index...].firstIndex(of: UInt8(ascii: "\n")) ?? input.count
            case UInt8(ascii: "/") where next(input, index) == UInt8(ascii: "*"):
                index = endOfBlockComment(input, from: index)
            case UInt8(ascii: "$") where !(index > 0 && isIdentifierByte(input[index - 1])):
                index = endOfDollarQuote(input, from: index)
            default:
                index += 1
            }
        }
        output.append(contentsOf: input[copied...])
        return (String(decoding: output, as: UTF8.self), count)
    }

    private static func next(_ input: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < input.count ? input[index + 1] : nil
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte >= 0x80 || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"))
    }

    /// The index after the closing quote (a doubled quote stays inside), or the end.
    private static func endOfQuoted(_ input: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < input.count {
            let byte = input[index]
            if backslashEscapes && byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == quote {
                if next(input, index) == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return input.count
    }

    private static func endOfBlockComment(_ input: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < input.count {
            if input[index] == UInt8(ascii: "/") && next(input, index) == UInt8(ascii: "*") { depth += 1; index += 2; continue }
            if input[index] == UInt8(ascii: "*") && next(input, index) == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
                continue
            }
            index += 1
        }
        return input.count
    }

    /// After `$tag$…$tag$`; a `$` that does not open a dollar quote (`$1`) is one byte.
    private static func endOfDollarQuote(_ input: [UInt8], from start: Int) -> Int {
        var index = start + 1
        if index < input.count, input[index] >= UInt8(ascii: "0"), input[index] <= UInt8(ascii: "9") { return start + 1 }
        while index < input.count, input[index] != UInt8(ascii: "$") {
            guard isIdentifierByte(input[index]) else { return start + 1 }
            index += 1
        }
        guard index < input.count else { return start + 1 }
        let tag = input[start...index]
        var search = index + 1
        while search + tag.count <= input.count {
            if input[search] == UInt8(ascii: "$"), input[search ..< search + tag.count].elementsEqual(tag) { return search + tag.count }
            search += 1
        }
        return input.count
    }
}
