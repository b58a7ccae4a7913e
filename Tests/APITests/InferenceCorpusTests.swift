import Foundation
import SQLite
import Testing

/// Tricky files, made here, through the real `ingest` binary: `new` → `check` → `run` with zero
/// failed rows, then every stored cell compared with the cell the file holds.
@Suite("ingest new on tricky files: whole-file inference, then every stored cell")
struct InferenceCorpusTests {
    /// A file of the corpus: its header and rows as written, and how it is encoded.
    struct CorpusFile {
        let name: String
        let header: [String]
        let rows: [[String]]
        var delimiter = ","
        var utf16 = false

        var bytes: Data {
            let text = ([header] + rows).map { $0.joined(separator: delimiter) }.joined(separator: "\r\n") + "\r\n"
            guard utf16 else { return Data(text.utf8) }
            return Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        }
    }

    static func date(_ i: Int) -> (y: Int, m: Int, d: Int) { (2000 + i % 25, 1 + i % 12, 1 + i % 28) }

    /// Postal and INSEE codes whose first leading zero / `2A` comes past row 4,000, an empty
    /// value first past row 1,000, mixed date formats, empty and repeated header cells, and two
    /// headers that normalise alike (`email`, `E-Mail`).
    static let postal: CorpusFile = {
        var rows: [[String]] = []
        for i in 1...5_000 {
            let postal = i < 4_003 ? String(10_000 + (i * 37) % 89_999) : (i == 4_003 ? "01400" : String(format: "%05d", (i * 37) % 99_999))
            let insee = i >= 4_500 && i % 10 == 0 ? String(format: "2A%03d", i % 1000) : String(10_000 + i)
            let subcountry = i == 1_016 || (i > 1_016 && i % 7 == 0) ? "" : "Region \(i % 13)"
            let (y, m, d) = date(i)
            let joined = i > 3_000 && i % 3 == 0 ? String(format: "%02d.%02d.%04d", d, m, y) : String(format: "%04d-%02d-%02d", y, m, d)
            rows.append([String(i), postal, insee, subcountry, "note \(i)", "\(i % 1000).\(String(format: "%02d", i % 100))", joined,
                         "a\(i % 5)", "b\(i % 7)", "user\(i)@example.com", "other\(i)@example.org", ""])
        }
        return CorpusFile(name: "postal.csv",
                          header: ["id", "Postal Code", "INSEE", "Subcountry", "", "Amount", "Joined", "Tag", "Tag", "email", "E-Mail", ""],
                          rows: rows)
    }()

    /// German numbers in a `;` file: space thousands separators (` 90 164`), decimal commas
    /// (`9,43751`), both (`1.234,56`), and `dd.MM.yyyy` dates.
    static let german: CorpusFile = {
        var rows: [[String]] = []
        for i in 1...3_000 {
            let people = i * 37
            let spaced = people >= 1000 ? "\(people / 1000) \(String(format: "%03d", people % 1000))" : String(people)
            let area = "\(i % 50),\(String(format: "%05d", (i * 7919) % 100_000))"
            let euros = 1_000 + i * 13
            let amount = "\(euros / 1000).\(String(format: "%03d", euros % 1000)),\(String(format: "%02d", i % 100))"
            let (y, m, d) = date(i)
            rows.append(["Ort-\(i)", i % 4 == 0 ? " " + spaced : spaced, area, amount, String(format: "%02d.%02d.%04d", d, m, y)])
        }
        return CorpusFile(name: "gemeinden.csv", header: ["Gemeinde", "Einwohner", "Fläche", "Betrag", "Stichtag"], rows: rows, delimiter: ";")
    }()

    /// UTF-16 (little endian, with BOM): non-ASCII text, codes that gain a leading zero late.
    static let utf16: CorpusFile = {
        var rows: [[String]] = []
        for i in 1...2_000 {
            rows.append([i < 1_500 ? String(100 + i) : String(format: "0%d", i), i % 2 == 0 ? "Zoë \(i)" : "東京 \(i)", String(i * 3)])
        }
        return CorpusFile(name: "villes.csv", header: ["Code", "Ville", "Population"], rows: rows, utf16: true)
    }()

    /// The header a run reads: empty cells named `column_N`, repeats suffixed ` (2)`.
    static func runHeader(_ header: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return header.enumerated().map { i, h in
            let name = h.isEmpty ? "column_\(i + 1)" : h
            let n = (seen[name] ?? 0) + 1
            seen[name] = n
            return n == 1 ? name : "\(name) (\(n))"
        }
    }

    /// What a stored cell must be, from the source cell and the column's definition.
    static func expected(_ cell: String, column: [String: Any]) throws -> Value {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .null }
        let type = column["type"] as? String ?? "text"
        let thousands = column["thousands_separator"] as? String
        let decimal = column["decimal_separator"] as? String ?? (thousands == "." ? "," : ".")
        var number = trimmed
        if let thousands { number = number.replacingOccurrences(of: thousands, with: "") }
        number = number.replacingOccurrences(of: decimal, with: ".")
        switch type {
        case "text": return .text(cell)
        case "integer": return .integer(try #require(Int64(number), "\(cell)"))
        case "decimal": return .real(try #require(Double(number), "\(cell)"))
        case "date":
            let parts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "." }).map { Int($0)! }
            let (y, m, d) = trimmed.contains("-") ? (parts[0], parts[1], parts[2]) : (parts[2], parts[1], parts[0])
            return .text(String(format: "%04d-%02d-%02d", y, m, d))
        default:
            Issue.record("unexpected type \(type) for \(cell)")
            return .null
        }
    }

    /// `new` → `check` → `run` on one file; returns the written definition's columns, having
    /// compared every stored cell with the file.
    @discardableResult
    static func roundTrip(_ file: CorpusFile, slug: String, in f: ProcessFixture) throws -> (columns: [String: [String: Any]], new: String) {
        try file.bytes.write(to: URL(fileURLWithPath: f.root + "/" + file.name))
        let made = try f.ingest(["new", slug, "--from", file.name])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("from all \(file.rows.count) rows"), "\(made.stdout)")
        let checked = try f.ingest(["check", "importers/\(slug).json"])
        #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")
        let ran = try f.ingest(["run", slug, file.name])
        #expect(ran.status == 0, "\(ran.stdout) \(ran.stderr)")

        let definition = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.root + "/importers/\(slug).json"))) as? [String: Any])
        let columns = try #require(definition["columns"] as? [String: [String: Any]])
        let table = try #require((definition["target"] as? [String: Any])?["table"] as? String)
        let db = try Connection(path: f.database, readOnly: true)
        let run = try db.query("SELECT status, failed_rows, processed_rows FROM ingest_runs ORDER BY id DESC LIMIT 1")
        #expect(run == [[.text("completed"), .integer(0), .integer(Int64(file.rows.count))]])

        let header = runHeader(file.header)
        let names = columns.keys.sorted()
        let stored = try db.query("SELECT \(names.joined(separator: ", ")) FROM \(table) ORDER BY rowid")
        #expect(stored.count == file.rows.count)
        var mismatches: [String] = []
        for (r, row) in zip(file.rows, stored).map({ ($0, $1) }).enumerated() {
            let (source, values) = row
            for (k, name) in names.enumerated() {
                let column = columns[name]!
                let from = try #require(column["from"] as? String)
                let index = try #require(header.firstIndex(of: from), "\(from) in \(header)")
                let want = try expected(source[index], column: column)
                if values[k] != want, mismatches.count < 10 { mismatches.append("row \(r + 2) \(name): stored \(values[k]), file '\(source[index])'") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Every non-empty source column is stored somewhere.
        let mapped = Set(columns.values.compactMap { $0["from"] as? String })
        for (i, h) in header.enumerated() where file.rows.contains(where: { !$0[i].isEmpty }) {
            #expect(mapped.contains(h), "\(h) is not mapped")
        }
        return (columns, made.stdout)
    }

    @Test("codes with late leading zeros and 2A stay text, late empties are not required, dates mix formats, empty and repeated headers are named")
    func postalCodes() throws {
        let f = try ProcessFixture(importers: [:])
        let (columns, output) = try Self.roundTrip(Self.postal, slug: "postal", in: f)
        #expect(columns["postal_code"]?["type"] == nil, "text: 01400 first appears at row 4,004")
        #expect(columns["insee"]?["type"] == nil, "text: 2A000 first appears past row 4,500")
        #expect(columns["id"]?["type"] as? String == "integer")
        #expect(columns["amount"]?["type"] as? String == "decimal")
        #expect(columns["subcountry"]?["rules"] as? String == "nullable", "the first empty value is at row 1,017")
        #expect(columns["postal_code"]?["rules"] as? String == "required")
        #expect(columns["joined"]?["type"] as? String == "date")
        #expect(columns["joined"]?["formats"] as? [String] == ["yyyy-MM-dd", "dd.MM.yyyy"])
        #expect(columns["column_5"]?["from"] as? String == "column_5")
        #expect(columns["column_12"] == nil, "an empty header over empty cells is left out")
        #expect(columns["tag_2"]?["from"] as? String == "Tag (2)")
        #expect(columns["email"]?["from"] as? String == "email")
        #expect(columns["e_mail"]?["from"] as? String == "E-Mail")
        #expect(output.contains("Suggested key: 'id'"), "\(output)")
        #expect(output.contains("Distinct over the whole file: id, "), "\(output)")
        #expect(output.contains("Column 5 has an empty header"), "\(output)")
        #expect(output.contains("Column 12 has no header and no values: left out."), "\(output)")
        #expect(output.contains("Column 9 repeats the header 'Tag'"), "\(output)")

        // --sample sees only the first rows, and says so.
        let sampled = try f.ingest(["new", "postal-sample", "--from", Self.postal.name, "--sample", "1000", "--stdout"])
        #expect(sampled.status == 0)
        #expect(sampled.stderr.contains("from the first 1000 rows (--sample)"), "\(sampled.stderr)")
        #expect(sampled.stdout.contains(#""type": "integer""#))
        #expect(try f.ingest(["new", "x", "--from", Self.postal.name, "--sample", "0"]).status == 64)
    }

    @Test("German numbers: space thousands separators, decimal commas, both; dd.MM.yyyy dates")
    func germanNumbers() throws {
        let f = try ProcessFixture(importers: [:])
        let (columns, _) = try Self.roundTrip(Self.german, slug: "gemeinden", in: f)
        #expect(columns["einwohner"]?["type"] as? String == "integer")
        #expect(columns["einwohner"]?["thousands_separator"] as? String == " ")
        #expect(columns["flache"]?["type"] as? String == "decimal")
        #expect(columns["flache"]?["decimal_separator"] as? String == ",")
        #expect(columns["betrag"]?["type"] as? String == "decimal")
        #expect(columns["betrag"]?["decimal_separator"] as? String == ",")
        #expect(columns["betrag"]?["thousands_separator"] as? String == ".")
        #expect(columns["stichtag"]?["formats"] as? [String] == ["dd.MM.yyyy"])
    }

    @Test("a UTF-16 file with a BOM: non-ASCII text and late leading zeros")
    func utf16File() throws {
        let f = try ProcessFixture(importers: [:])
        let (columns, _) = try Self.roundTrip(Self.utf16, slug: "villes", in: f)
        #expect(columns["code"]?["type"] == nil)
        #expect(columns["population"]?["type"] as? String == "integer")
    }
}

/// Header mismatches name what the file has; headers that normalise alike never share a column.
@Suite("Header messages and ambiguous headers, through ingest run")
struct HeaderMessageTests {
    static func importer(_ columns: String, strict: Bool) -> String {
        #"{"target": {"table": "orders"}, "headers": {"strict": \#(strict)}, "columns": {\#(columns)}}"#
    }

    @Test("a missing header lists the headers found and suggests the nearest, strict or not")
    func missingHeader() throws {
        let columns = #""order_no": {"from": "Order No"}, "customer": {"from": "Customer"}"#
        let f = try ProcessFixture(importers: ["strict": Self.importer(columns, strict: true), "lenient": Self.importer(columns, strict: false)])
        try f.write("Order Number,Customer,Total\r\nA-1,Ada,12\r\n", to: "orders.csv")
        let strict = try f.ingest(["run", "strict", "orders.csv"])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("Missing required header 'Order No'. Found: Order Number, Customer, Total. Did you mean 'Order Number'?"),
                "\(strict.stdout) \(strict.stderr)")
        let lenient = try f.ingest(["run", "lenient", "orders.csv"])
        #expect(lenient.status == 0, "\(lenient.stdout) \(lenient.stderr)")
        #expect(lenient.stdout.contains("No header matches 'Order No'; its column gets its default or stays empty. Did you mean 'Order Number'?"),
                "\(lenient.stdout)")
    }

    @Test("two headers that normalise alike: the exact one wins; a name matching neither exactly is an error naming both")
    func ambiguousHeaders() throws {
        let f = try ProcessFixture(importers: [
            "exact": Self.importer(#""first": {"from": "email"}, "second": {"from": "E-Mail"}"#, strict: false),
            "ambiguous": Self.importer(#""contact": {"from": "Email"}"#, strict: false),
        ])
        try f.write("email,E-Mail\r\na@example.com,b@example.org\r\n", to: "people.csv")
        let exact = try f.ingest(["run", "exact", "people.csv"])
        #expect(exact.status == 0, "\(exact.stdout) \(exact.stderr)")
        let db = try Connection(path: f.database, readOnly: true)
        #expect(try db.query("SELECT first, second FROM orders") == [[.text("a@example.com"), .text("b@example.org")]])
        let ambiguous = try f.ingest(["run", "ambiguous", "people.csv"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stdout.contains("The header 'Email' is ambiguous: the file has 'email' and 'E-Mail'"), "\(ambiguous.stdout) \(ambiguous.stderr)")
    }
}
