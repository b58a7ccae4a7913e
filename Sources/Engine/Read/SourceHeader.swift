/// The header a run (and `ingest new`) works with, made from the header cells as read.
///
/// An empty header cell (nothing but whitespace) at position N is named `column_N`, and a
/// header seen before (ignoring surrounding whitespace) gets ` (2)`, ` (3)`…, so every column
/// has a name of its own that a definition can map and the row log can keep.
package enum SourceHeader {
    package static func prepare(_ cells: [String]) -> [String] {
        var seen: [String: Int] = [:]
        let names = cells.enumerated().map { i, cell in
            cell.allSatisfy(\.isWhitespace) ? "column_\(i + 1)" : cell
        }
        var taken = Set(names.map(key))
        return names.map { name in
            let k = key(name)
            let n = (seen[k] ?? 0) + 1
            seen[k] = n
            guard n > 1 else { return name }
            var suffix = n
            var candidate = "\(name) (\(suffix))"
            while taken.contains(key(candidate)) { suffix += 1; candidate = "\(name) (\(suffix))" }
            taken.insert(key(candidate))
            return candidate
        }
    }

    /// Whether the cell at `index` of `cells` got a generated name.
    package static func isGenerated(_ cells: [String], index: Int) -> Bool {
        cells[index].allSatisfy(\.isWhitespace)
    }

    private static func key(_ name: String) -> String {
        var s = Substring(name)
        if s.unicodeScalars.first == "\u{FEFF}" { s = Substring(s.unicodeScalars.dropFirst()) }
        return String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
