/// Classifies number formats as dates, times or plain numbers (ECMA-376 Part 1, §18.8.30–31).
enum NumberFormat: Equatable {
    case number, date, time

    /// Built-in ids that are dates: 14–17 and 22 (date or date-time), 18–21 and 45–47 (time).
    static func builtIn(_ id: Int) -> NumberFormat {
        switch id {
        case 14...17, 22: return .date
        case 18...21, 45...47: return .time
        default: return .number
        }
    }

    /// Classifies a custom format code: date/time letters (d m y h s) outside quoted text,
    /// escapes and bracketed colours/conditions make it a date; only h/m/s makes it a time.
    static func classify(code: String) -> NumberFormat {
        var inQuotes = false
        var skipNext = false
        var inBracket = false
        var bracket = ""
        var hasDate = false
        var hasTime = false
        for c in code.lowercased() {
            if skipNext {
                skipNext = false
                continue
            }
            if inQuotes {
                if c == "\"" { inQuotes = false }
                continue
            }
            if inBracket {
                if c == "]" {
                    inBracket = false
                    // Elapsed time ([h], [mm], [ss]) is a duration shown as a time.
                    if let first = bracket.first, "hms".contains(first), bracket.allSatisfy({ $0 == first }) { hasTime = true }
                } else {
                    bracket.append(c)
                }
                continue
            }
            switch c {
            case ";": return hasDate ? .date : hasTime ? .time : .number  // first section decides
            case "\"": inQuotes = true
            case "\\", "_", "*": skipNext = true
            case "[": inBracket = true; bracket = ""
            case "d", "y": hasDate = true
            case "h", "s": hasTime = true
            case "m": hasTime = true  // month or minute: either way not a plain number
            default: break
            }
        }
        return hasDate ? .date : hasTime ? .time : .number
    }
}
