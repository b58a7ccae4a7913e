import Foundation
import Testing
@testable import HTTP

@Suite("Multipart form reader")
struct MultipartFormReaderTests {
    private func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("http-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    private func request(_ body: String, boundary: String = "zz") -> HTTPRequest {
        HTTPRequest(
            method: .post, target: "/upload",
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"],
            body: BodyStream(bytes: Array(body.utf8))
        )
    }

    @Test("fields are collected and files written to the directory")
    func readsForm() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = "--zz\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n"
            + "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\nsku\nA1\n\r\n--zz--\r\n"
        let form = try MultipartFormReader.read(request(body), fileDirectory: directory)
        #expect(form[field: "dry_run"] == "true")
        let file = try #require(form.file(named: "file"))
        #expect(file.filename == "p.csv")
        #expect(file.contentType == "text/csv")
        #expect(file.size == 7)
        #expect(file.path.hasPrefix(directory))
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "sku\nA1\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("a failed read removes the files it wrote")
    func cleansUpOnError() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n\r\nsku\nA1\n"
        #expect(throws: MultipartError.truncated) { try MultipartFormReader.read(request(body), fileDirectory: directory) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("errors carry the status a client should see")
    func errorStatuses() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let big = "--zz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\(String(repeating: "x", count: 100))\r\n--zz--"
        do {
            _ = try MultipartFormReader.read(request(big), fileDirectory: directory, limits: MultipartLimits(maxFieldBytes: 10))
            Issue.record("expected an error")
        } catch {
            #expect(error == .fieldTooLarge(name: "note", limit: 10))
            #expect(HTTPResponse(error: error).status == .contentTooLarge)
        }
        let plain = HTTPRequest(method: .post, target: "/", headers: ["Content-Type": "text/csv"])
        #expect(throws: MultipartError.notMultipart) { try MultipartFormReader.read(plain, fileDirectory: directory) }
        #expect(HTTPResponse(error: MultipartError.truncated).status == .badRequest)
    }
}
