import Foundation
@testable import Tabular

/// Test fixture factory: writes bytes to a uniquely named file in the temp directory.
enum TemporaryFile {
    /// Writes `bytes` and returns the path; remove it with `remove(_:)`.
    static func make(_ bytes: [UInt8], extension ext: String = "csv") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tabular-test-\(UUID().uuidString).\(ext)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes UTF-8 text.
    static func make(_ text: String, extension ext: String = "csv") throws -> String {
        try make(Array(text.utf8), extension: ext)
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The folder of committed fixtures, next to this file.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Reads header and all rows of a file with the given options.
    static func readAll(path: String, fileName: String? = nil, options: ReadOptions = .init()) throws -> (header: [String]?, rows: [TableRow], reader: any TableReader) {
        let reader = try TableReaders.open(path: path, fileName: fileName, options: options)
        let header = try reader.readHeader()
        var rows: [TableRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return (header, rows, reader)
    }

    /// Reads text written to a temporary file.
    static func readAll(text: String, extension ext: String = "csv", options: ReadOptions = .init()) throws -> (header: [String]?, rows: [TableRow], reader: any TableReader) {
        try readAll(bytes: Array(text.utf8), extension: ext, options: options)
    }

    static func readAll(bytes: [UInt8], extension ext: String = "csv", options: ReadOptions = .init()) throws -> (header: [String]?, rows: [TableRow], reader: any TableReader) {
        let path = try make(bytes, extension: ext)
        defer { remove(path) }
        return try readAll(path: path, options: options)
    }

    /// Runs `body` and returns the TabularError it throws, if any.
    static func error<T>(_ body: () throws -> T) -> TabularError? {
        do {
            _ = try body()
            return nil
        } catch let error as TabularError {
            return error
        } catch {
            return nil
        }
    }
}
