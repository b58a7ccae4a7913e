/// Makes text from outside safe to print on a terminal: cell values, file names, header names and
/// every message that may quote them (row errors, warnings, failure reasons, definition problems).
///
/// A terminal acts on control characters: ESC starts sequences that recolour, move the cursor,
/// set the window title (OSC `ESC ] 0 ; … BEL`), write to the clipboard (OSC 52) or make links
/// (OSC 8); C1 controls (U+0080–U+009F, such as CSI U+009B) do the same on many terminals; a
/// carriage return overwrites the line. So every C0 control, DEL and every C1 control is shown
/// as an escape instead (`\x1b`, `\x07`, `\x7f`, `\u{9b}`; `\n`, `\r`, `\t` for the common three).
/// Backslashes are left alone: the escapes are for reading, not for parsing back.
///
/// The one place human (non-JSON) CLI output is escaped: `TextTable` escapes its cells,
/// `RunReport` the values it shows, and commands the lines they print themselves. JSON output
/// escapes C0 controls by JSON's own rules and is for programs; CSV output is data.
enum TerminalText {
    /// `text` with every control character escaped, line breaks included: for a value printed
    /// inside a line (a table cell, a file name, one message).
    static func escape(_ text: String) -> String {
        escape(text, keepingNewlines: false)
    }

    /// `text` with every control character escaped except `\n`: for text whose line breaks are
    /// its structure (a definition problem list, a server log line).
    static func escapeKeepingNewlines(_ text: String) -> String {
        escape(text, keepingNewlines: true)
    }

    private static func escape(_ text: String, keepingNewlines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingNewlines: keepingNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingNewlines: keepingNewlines) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: visible(scalar).unicodeScalars)
        }
        return String(out)
    }

    @inline(__always)
    private static func needsEscape(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        let v = scalar.value
        if v == 0x0A { return !keepingNewlines }
        return v < 0x20 || (v >= 0x7F && v <= 0x9F)
    }

    private static func visible(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        switch scalar.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x80...0x9F: return "\\u{" + hex + "}"
        default: return "\\x" + (hex.count < 2 ? "0" + hex : hex)
        }
    }
}
