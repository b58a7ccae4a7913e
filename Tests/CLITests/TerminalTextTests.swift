import Testing
@testable import CLI

@Suite("Terminal text escaping")
struct TerminalTextTests {
    @Test("escapes C0 controls, DEL and C1 controls; leaves other text alone", arguments: [
        ("plain text, ünïcode ✓ and a \\ backslash", "plain text, ünïcode ✓ and a \\ backslash"),
        ("\u{1B}[31mred\u{1B}[0m", "\\x1b[31mred\\x1b[0m"),
        ("\u{1B}]0;title\u{07}", "\\x1b]0;title\\x07"),
        ("\u{1B}]8;;https://x.test\u{1B}\\link\u{1B}]8;;\u{1B}\\", "\\x1b]8;;https://x.test\\x1b\\link\\x1b]8;;\\x1b\\"),
        ("a\nb\rc\td\u{0}e\u{7F}f", "a\\nb\\rc\\td\\x00e\\x7ff"),
        ("\u{9B}31m\u{85}\u{9F}\u{A0}", "\\u{9b}31m\\u{85}\\u{9f}\u{A0}"),
    ])
    func escapes(input: String, expected: String) {
        #expect(TerminalText.escape(input) == expected)
    }

    @Test("keeps line breaks where they are the text's structure")
    func keepingNewlines() {
        #expect(TerminalText.escapeKeepingNewlines("one\n\u{1B}[2Jtwo\r\n") == "one\n\\x1b[2Jtwo\\r\n")
    }

    @Test("tables escape their cells, so a cell stays on its line")
    func tables() {
        var table = TextTable(["ID", "FILE"])
        table.add(["1", "a\nb\u{1B}[8m.csv"])
        #expect(table.rendered == "ID  FILE\n1   a\\nb\\x1b[8m.csv\n")
    }
}
