/// The `with` text of `regex_replace`, read as NSRegularExpression templates always were:
/// `$0` is the whole match, `$1`… a group (digits are taken while they name an existing group,
/// so with two groups `$12` is group 1 then `2`), `\` makes the next character literal (`\$`,
/// `\\`), and a `$` not followed by a digit is itself. A group that did not take part is empty.
package struct ReplacementTemplate: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case text([UInt8])
        case group(Int)
    }

    let pieces: [Piece]

    /// Why a template cannot be used with a pattern.
    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// Reads `template` for a pattern with `groupCount` capturing groups.
    package init(_ template: String, groupCount: Int) throws(Problem) {
        var pieces: [Piece] = []
        var text: [UInt8] = []
        var scalars = template.unicodeScalars[...]
        func flush() { if !text.isEmpty { pieces.append(.text(text)); text = [] } }
        while let c = scalars.popFirst() {
            if c == "\\" {
                if let escaped = scalars.popFirst() { text.append(contentsOf: String(escaped).utf8) }
                continue
            }
            guard c == "$", let d = scalars.first, let first = ReplacementTemplate.digit(d) else {
                text.append(contentsOf: String(c).utf8)
                continue
            }
            guard first <= groupCount else {
                let groups = groupCount == 0 ? "no groups" : groupCount == 1 ? "1 group" : "\(groupCount) groups"
                throw Problem(description: "the replacement refers to group $\(first), but the pattern has \(groups) (write \\$ for a literal '$')")
            }
            scalars.removeFirst()
            var number = first
            while let more = scalars.first, let digit = ReplacementTemplate.digit(more), number * 10 + digit <= groupCount {
                number = number * 10 + digit
                scalars.removeFirst()
            }
            flush()
            pieces.append(.group(number))
        }
        flush()
        self.pieces = pieces
    }

    private static func digit(_ c: Unicode.Scalar) -> Int? {
        c >= "0" && c <= "9" ? Int(c.value - 48) : nil
    }

    /// Appends the replacement for one match (`slots` as `forEachMatch` gives them).
    func append(to out: inout [UInt8], input: UnsafeBufferPointer<UInt8>, slots: UnsafeBufferPointer<Int>) {
        for piece in pieces {
            switch piece {
            case .text(let bytes): out.append(contentsOf: bytes)
            case .group(let g):
                let start = slots[2 * g], end = slots[2 * g + 1]
                if start >= 0 && end >= start { out.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<end])) }
            }
        }
    }
}
