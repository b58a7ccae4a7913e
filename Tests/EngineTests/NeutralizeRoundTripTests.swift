import Testing
@testable import Engine

/// The failed-rows CSV is formula-safe, and importing it again undoes exactly what the export did.
@Suite("Formula neutralising and its inverse")
struct NeutralizeRoundTripTests {
    static let cells = ["", "plain", "@handle", "=1+1", "+49", "-3.00", "-x", "+x", "\tindent", "\rcr", "'", "''", "'quoted",
                        "'=x", "''@x", "'+49", "'-3", "'@", "a'b", "=", "@", "-", "+", "'''=deep", "é=x", "0"]

    @Test("restore undoes neutralize for every cell, and neutralize is one-to-one")
    func roundTrip() {
        for cell in Self.cells {
            #expect(CSVWriter.restore(CSVWriter.neutralize(cell)) == cell, "\(cell.debugDescription)")
        }
        let exported = Self.cells.map(CSVWriter.neutralize)
        #expect(Set(exported).count == Set(Self.cells).count)
    }

    @Test("formula-like cells get one quote, plain numbers none, and a cell that already starts with a quote before a formula gets another")
    func prefixes() {
        #expect(CSVWriter.neutralize("@handle") == "'@handle")
        #expect(CSVWriter.neutralize("=1+1") == "'=1+1")
        #expect(CSVWriter.neutralize("-3.00") == "-3.00")
        #expect(CSVWriter.neutralize("'quoted") == "'quoted")
        #expect(CSVWriter.neutralize("'=x") == "''=x")
        #expect(CSVWriter.restore("'quoted") == "'quoted")
        #expect(CSVWriter.restore("'@handle") == "@handle")
    }
}
