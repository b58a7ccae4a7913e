import Testing
@testable import RegexEngine

/// What cannot run in linear time is refused when the pattern compiles, naming the construct;
/// what is not implemented and what is malformed say so too.
@Suite("Refused and invalid patterns")
struct RefusalTests {
    static let notLinearCases: [(String, String)] = [
        ("(a)\\1", "a backreference (\\1)"),
        ("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", "a backreference (\\10)"),
        ("(?<x>a)\\k<x>", "a backreference (\\k…)"),
        ("(?<x>a)(?P=x)", "a backreference (?P=…)"),
        ("a(?=b)", "a lookahead (?=…)"),
        ("a(?!b)", "a negative lookahead (?!…)"),
        ("(?<=a)b", "a lookbehind (?<=…)"),
        ("(?<!a)b", "a negative lookbehind (?<!…)"),
        ("(?>a+)b", "an atomic group (?>…)"),
        ("a++b", "a possessive quantifier (++)"),
        ("a*+b", "a possessive quantifier (*+)"),
        ("a?+", "a possessive quantifier (?+)"),
        ("a{2,5}+", "a possessive quantifier ({2,5}+)"),
        ("a(?R)?b", "recursion (?R…)"),
        ("(a(?1)?b)", "recursion (?1…)"),
        ("(?<p>a(?&p)?b)", "recursion (?&…)"),
        ("(a(?-1)?b)", "recursion (?-…)"),
        ("(?P>x)", "recursion (?P>…)"),
        ("(a)?(?(1)b|c)", "a conditional (?(…)…)"),
    ]

    @Test("non-linear constructs are refused by name", arguments: notLinearCases)
    func notLinear(_ pattern: String, _ construct: String) {
        do {
            _ = try LinearRegex(pattern)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.kind == .notLinear(construct), "\(pattern)")
            #expect(error.description == "regular expression '\(pattern)' uses \(construct), which cannot be matched in linear time; backreferences, lookahead, lookbehind, atomic groups, possessive quantifiers, recursion and conditionals are refused")
        }
    }

    static let unsupportedCases: [(String, String)] = [
        ("\\X", "\\X (grapheme clusters)"),
        ("\\Ga", "\\G (the end of the previous match)"),
        ("\\N{LATIN SMALL LETTER A}", "\\N{…} (characters by name); write \\x{…} instead"),
        ("\\p{Greek}", "the script or block property 'Greek'; use a range such as [\\x{0370}-\\x{03FF}]"),
        ("\\p{Script=Latin}", "the script or block property 'Script=Latin'; use a range such as [\\x{0370}-\\x{03FF}]"),
        ("(?w)\\b", "the (?w) flag (Unicode word boundaries)"),
        ("(?|a)", "a branch reset group (?|…)"),
    ]

    @Test("constructs this engine does not implement are named", arguments: unsupportedCases)
    func unsupported(_ pattern: String, _ construct: String) {
        do {
            _ = try LinearRegex(pattern)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.kind == .unsupported(construct), "\(pattern)")
        }
    }

    static let invalidCases: [(String, String, Int)] = [
        ("a(b", "missing ')' to close the group opened at offset 1", 1),
        ("a)b", "unmatched ')'", 1),
        ("*a", "'*' has nothing to repeat", 0),
        ("a**", "a quantifier cannot follow another quantifier; group the first one, as in (?:a*)*", 2),
        ("a{2,1}", "the repetition {2,1} has its bounds in the wrong order", 1),
        ("a{", "a repetition must be {n}, {n,} or {n,m} with whole numbers (escape a literal '{' as \\{)", 1),
        ("}", "'}' must be escaped as \\}", 0),
        ("[b-a]", "the range b-a is out of order", 1),
        ("[a", "missing ']' to close the class opened at offset 0", 0),
        ("ab\\", "the pattern ends with a lone '\\'", 2),
        ("\\y", "unknown escape '\\y'", 0),
        ("\\x{110000}", "U+110000 is not a Unicode scalar", 0),
        ("(?<1a>x)", "a group name must be ASCII letters and digits starting with a letter, as in (?<year>…)", 0),
        ("(?<n>a)(?<n>b)", "the group name 'n' is used twice", 7),
        ("(?P<n>a)", "write a named group as (?<name>…)", 0),
        ("(?q)", "unknown group syntax '(?q'; flags are i, m, s and x", 0),
        ("\\p{Nope}", "unknown Unicode property 'Nope'", 0),
        ("[\\b]", "'\\b' cannot be used inside [ ]; write \\x08 for a backspace", 1),
        ("[&&a]", "'&&' needs a set on its left", 1),
        ("^*a", "a quantifier cannot follow an anchor or a boundary such as ^, $ or \\b", 1),
        ("a\\b{2}", "a quantifier cannot follow an anchor or a boundary such as ^, $ or \\b", 3),
    ]

    @Test("malformed patterns say what is wrong and where", arguments: invalidCases)
    func invalid(_ pattern: String, _ why: String, _ offset: Int) {
        do {
            _ = try LinearRegex(pattern)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.kind == .invalid(why), "\(pattern)")
            #expect(error.offset == offset, "\(pattern)")
            #expect(error.description == "invalid regular expression '\(pattern)': \(why)")
        }
    }

    @Test("deep nesting is refused instead of exhausting the stack")
    func nesting() {
        let deep = String(repeating: "(", count: 300) + "a" + String(repeating: ")", count: 300)
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(deep) }
        let ok = String(repeating: "(?:", count: 200) + "a" + String(repeating: ")", count: 200)
        #expect((try? LinearRegex(ok))?.matches("a") == true)
        let classes = String(repeating: "[", count: 300) + "a" + String(repeating: "]", count: 300)
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(classes) }
    }
}
