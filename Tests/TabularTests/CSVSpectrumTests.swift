import Foundation
import Testing
@testable import Tabular

/// The csv-spectrum acid tests, from the copy committed under Fixtures/csv-spectrum.
@Suite("csv-spectrum")
struct CSVSpectrumTests {
    static var folder: URL {
        TemporaryFile.fixtures.appendingPathComponent("csv-spectrum")
    }

    static var names: [String] {
        let csvs = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("csvs").path)) ?? []
        return csvs.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Upstream errata: csv-spectrum's location_coordinates.json records a phone number that is
    /// not the one in its CSV (and is an object instead of an array). The CSV is the source of truth.
    static let errata: [String: [String: String]] = [
        "location_coordinates": ["Contact Phone Number": "2095257564"],
    ]

    @Test("finds all twelve spectrum cases")
    func casesPresent() {
        #expect(Self.names.count == 12)
    }

    @Test("reproduces every spectrum case exactly", arguments: names)
    func spectrumCase(name: String) throws {
        let csv = Self.folder.appendingPathComponent("csvs/\(name).csv").path
        let jsonData = try Data(contentsOf: Self.folder.appendingPathComponent("json/\(name).json"))
        let json = try JSONSerialization.jsonObject(with: jsonData)
        var expected = (json as? [[String: String]]) ?? [(json as? [String: String]) ?? [:]]
        if let fixes = Self.errata[name] {
            for (key, value) in fixes { expected[0][key] = value }
        }

        let (header, rows, reader) = try TemporaryFile.readAll(path: csv)
        let keys = try #require(header)
        let actual = rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(keys, row.cells))
        }
        #expect(actual == expected)
        #expect(rows.allSatisfy { $0.cells.count == keys.count })
        #expect(reader.detected["delimiter"] == ",")
    }
}
