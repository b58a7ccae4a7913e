/// A Unicode property a class can test: `\p{Lu}`, `\p{Alphabetic}`, `[[:digit:]]`, and the sets
/// behind `\d \w \s \h \v`, with ICU's definitions (the syntax definitions were written for).
///
/// Decided from the Swift runtime's Unicode data, so nothing is tabulated here. Script and block
/// properties (`\p{Greek}`, `\p{InBasicLatin}`) are not available from it and are refused by name.
enum UnicodeProperty: Sendable, Hashable {
    case generalCategories(Set<GeneralCategoryCode>)
    case alphabetic, lowercase, uppercase, whiteSpace, math, hexDigit, asciiHexDigit, dash, ideographic, emoji
    case any, ascii, assigned
    /// ICU `\w`: `[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200C\u200D]`.
    case word
    /// ICU `\h`: `[\p{Zs}\t]`.
    case horizontalSpace
    /// ICU `\v`: `[\n\x0B\f\r\x85\u2028\u2029]`.
    case verticalSpace
    /// POSIX-compatible classes as ICU defines them (UTS #18 annex C).
    case posixAlnum, posixBlank, posixGraph, posixPrint, posixXDigit

    /// A stable stand-in for `Unicode.GeneralCategory`, which is not `Hashable` on every platform.
    enum GeneralCategoryCode: UInt8, Sendable, Hashable, CaseIterable {
        case Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No, Pc, Pd, Ps, Pe, Pi, Pf, Po, Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co, Cn

        init(_ c: Unicode.GeneralCategory) {
            switch c {
            case .uppercaseLetter: self = .Lu
            case .lowercaseLetter: self = .Ll
            case .titlecaseLetter: self = .Lt
            case .modifierLetter: self = .Lm
            case .otherLetter: self = .Lo
            case .nonspacingMark: self = .Mn
            case .spacingMark: self = .Mc
            case .enclosingMark: self = .Me
            case .decimalNumber: self = .Nd
            case .letterNumber: self = .Nl
            case .otherNumber: self = .No
            case .connectorPunctuation: self = .Pc
            case .dashPunctuation: self = .Pd
            case .openPunctuation: self = .Ps
            case .closePunctuation: self = .Pe
            case .initialPunctuation: self = .Pi
            case .finalPunctuation: self = .Pf
            case .otherPunctuation: self = .Po
            case .mathSymbol: self = .Sm
            case .currencySymbol: self = .Sc
            case .modifierSymbol: self = .Sk
            case .otherSymbol: self = .So
            case .spaceSeparator: self = .Zs
            case .lineSeparator: self = .Zl
            case .paragraphSeparator: self = .Zp
            case .control: self = .Cc
            case .format: self = .Cf
            case .surrogate: self = .Cs
            case .privateUse: self = .Co
            case .unassigned: self = .Cn
            @unknown default: self = .Cn
            }
        }
    }

    /// Whether `value` (any scalar value, surrogates included) has the property.
    func contains(_ value: UInt32) -> Bool {
        guard let s = Unicode.Scalar(value) else {
            // Surrogate code points never occur in valid UTF-8 text; only `Cs`/`Any` would hold them.
            if case .generalCategories(let set) = self { return set.contains(.Cs) }
            return self == .any
        }
        let p = s.properties
        switch self {
        case .generalCategories(let set): return set.contains(GeneralCategoryCode(p.generalCategory))
        case .alphabetic: return p.isAlphabetic
        case .lowercase: return p.isLowercase
        case .uppercase: return p.isUppercase
        case .whiteSpace: return p.isWhitespace
        case .math: return p.isMath
        case .hexDigit: return p.isHexDigit
        case .asciiHexDigit: return p.isASCIIHexDigit
        case .dash: return p.isDash
        case .ideographic: return p.isIdeographic
        case .emoji: return p.isEmoji
        case .any: return true
        case .ascii: return value < 128
        case .assigned: return p.generalCategory != .unassigned
        case .word: return UnicodeProperty.isWord(s)
        case .horizontalSpace: return value == 9 || p.generalCategory == .spaceSeparator
        case .verticalSpace: return (value >= 0x0A && value <= 0x0D) || value == 0x85 || value == 0x2028 || value == 0x2029
        case .posixAlnum: return p.isAlphabetic || p.generalCategory == .decimalNumber
        case .posixBlank: return value == 9 || p.generalCategory == .spaceSeparator
        case .posixXDigit: return p.generalCategory == .decimalNumber || p.isHexDigit
        case .posixGraph: return UnicodeProperty.isGraph(p)
        case .posixPrint:
            return (UnicodeProperty.isGraph(p) || value == 9 || p.generalCategory == .spaceSeparator) && p.generalCategory != .control
        }
    }

    /// Whether the property can hold a scalar above ASCII (most can).
    var reachesBeyondASCII: Bool {
        switch self {
        case .ascii, .asciiHexDigit: return false
        default: return true
        }
    }

    /// ICU's word characters, for `\w` and `\b`.
    @inline(__always)
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 {
            return (v >= 48 && v <= 57) || (v | 0x20 >= 97 && v | 0x20 <= 122) || v == 95
        }
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return p.isAlphabetic || v == 0x200C || v == 0x200D
        }
    }

    private static func isGraph(_ p: Unicode.Scalar.Properties) -> Bool {
        switch p.generalCategory {
        case .control, .surrogate, .unassigned: return false
        default: return !p.isWhitespace
        }
    }

    // MARK: names

    /// The property `\p{name}` (or `[:name:]`) names; the error says why a name is not usable.
    static func named(_ raw: String) -> Result<UnicodeProperty, PropertyNameError> {
        var name = loose(raw)
        if let eq = raw.firstIndex(where: { $0 == "=" || $0 == ":" }) {
            let key = loose(String(raw[..<eq]))
            let value = String(raw[raw.index(after: eq)...])
            switch key {
            case "gc", "generalcategory":
                guard let cats = generalCategory(loose(value)) else { return .failure(.unknown(raw)) }
                return .success(.generalCategories(cats))
            case "sc", "script", "scx", "scriptextensions", "blk", "block":
                return .failure(.scriptOrBlock(raw))
            default:
                return .failure(.unknown(raw))
            }
        }
        if let cats = generalCategory(name) { return .success(.generalCategories(cats)) }
        if let binary = binaryProperties[name] { return .success(binary) }
        if name.hasPrefix("is"), name.count > 2 {
            name.removeFirst(2)
            if let cats = generalCategory(name) { return .success(.generalCategories(cats)) }
            if let binary = binaryProperties[name] { return .success(binary) }
            return .failure(.scriptOrBlock(raw))
        }
        if name.hasPrefix("in"), name.count > 2 { return .failure(.scriptOrBlock(raw)) }
        if scriptNames.contains(name) { return .failure(.scriptOrBlock(raw)) }
        return .failure(.unknown(raw))
    }

    /// ICU matches property names loosely: case, spaces, `-` and `_` do not matter.
    private static func loose(_ s: String) -> String {
        String(s.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" })
    }

    private static func generalCategory(_ name: String) -> Set<GeneralCategoryCode>? {
        typealias G = GeneralCategoryCode
        let groups: [String: [G]] = [
            "l": [.Lu, .Ll, .Lt, .Lm, .Lo], "letter": [.Lu, .Ll, .Lt, .Lm, .Lo],
            "lc": [.Lu, .Ll, .Lt], "l&": [.Lu, .Ll, .Lt], "casedletter": [.Lu, .Ll, .Lt],
            "m": [.Mn, .Mc, .Me], "mark": [.Mn, .Mc, .Me], "combiningmark": [.Mn, .Mc, .Me],
            "n": [.Nd, .Nl, .No], "number": [.Nd, .Nl, .No],
            "p": [.Pc, .Pd, .Ps, .Pe, .Pi, .Pf, .Po], "punctuation": [.Pc, .Pd, .Ps, .Pe, .Pi, .Pf, .Po],
            "punct": [.Pc, .Pd, .Ps, .Pe, .Pi, .Pf, .Po],
            "s": [.Sm, .Sc, .Sk, .So], "symbol": [.Sm, .Sc, .Sk, .So],
            "z": [.Zs, .Zl, .Zp], "separator": [.Zs, .Zl, .Zp],
            "c": [.Cc, .Cf, .Cs, .Co, .Cn], "other": [.Cc, .Cf, .Cs, .Co, .Cn],
        ]
        if let g = groups[name] { return Set(g) }
        let longNames: [String: G] = [
            "uppercaseletter": .Lu, "lowercaseletter": .Ll, "titlecaseletter": .Lt, "modifierletter": .Lm,
            "otherletter": .Lo, "nonspacingmark": .Mn, "spacingmark": .Mc, "enclosingmark": .Me,
            "decimalnumber": .Nd, "digit": .Nd, "letternumber": .Nl, "othernumber": .No,
            "connectorpunctuation": .Pc, "dashpunctuation": .Pd, "openpunctuation": .Ps, "closepunctuation": .Pe,
            "initialpunctuation": .Pi, "finalpunctuation": .Pf, "otherpunctuation": .Po, "mathsymbol": .Sm,
            "currencysymbol": .Sc, "modifiersymbol": .Sk, "othersymbol": .So, "spaceseparator": .Zs,
            "lineseparator": .Zl, "paragraphseparator": .Zp, "control": .Cc, "cntrl": .Cc, "format": .Cf,
            "surrogate": .Cs, "privateuse": .Co, "unassigned": .Cn,
        ]
        if let g = longNames[name] { return [g] }
        if let g = G.allCases.first(where: { "\($0)".lowercased() == name }) { return [g] }
        return nil
    }

    private static let binaryProperties: [String: UnicodeProperty] = [
        "alphabetic": .alphabetic, "alpha": .alphabetic, "lowercase": .lowercase, "lower": .lowercase,
        "uppercase": .uppercase, "upper": .uppercase, "whitespace": .whiteSpace, "wspace": .whiteSpace,
        "space": .whiteSpace, "math": .math, "hexdigit": .hexDigit, "hex": .hexDigit, "xdigit": .posixXDigit,
        "asciihexdigit": .asciiHexDigit, "ahex": .asciiHexDigit, "dash": .dash, "ideographic": .ideographic,
        "ideo": .ideographic, "emoji": .emoji, "any": .any, "ascii": .ascii, "assigned": .assigned,
        "alnum": .posixAlnum, "blank": .posixBlank, "graph": .posixGraph, "print": .posixPrint, "word": .word,
    ]

    /// Common script names, so `\p{Greek}` gets the script message rather than "unknown".
    private static let scriptNames: Set<String> = [
        "latin", "latn", "greek", "grek", "cyrillic", "cyrl", "arabic", "arab", "hebrew", "hebr", "han", "hani",
        "hiragana", "hira", "katakana", "kana", "hangul", "hang", "thai", "devanagari", "deva", "armenian",
        "georgian", "ethiopic", "common", "zyyy", "inherited", "zinh", "tamil", "bengali", "gujarati", "tibetan",
    ]
}

/// Why a property name cannot be used.
enum PropertyNameError: Error, Sendable, Equatable {
    case unknown(String)
    case scriptOrBlock(String)
}
