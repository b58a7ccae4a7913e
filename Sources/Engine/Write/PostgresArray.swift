/// PostgreSQL array literals for `= ANY(?)`: one parameter holding every value, each element
/// double-quoted with `"` and `\` escaped, so any text travels as itself.
enum PostgresArray {
    static func literal(_ texts: [String]) -> String {
        var out = "{"
        for (i, t) in texts.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in t.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}
