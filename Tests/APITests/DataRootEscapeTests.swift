import Foundation
import Testing

/// Issue 9, item 1, through the real server: a trigger of a `filesystem` importer whose feed is
/// a symlink out of the data root is refused, and nothing is imported.
@Suite("Data-root escapes over HTTP")
struct DataRootEscapeTests {
    @Test("a feed that is a relative symlink to a file outside, or inside a symlinked folder, is refused with 422")
    func symlinkedFeedRefused() throws {
        let outside = NSTemporaryDirectory() + "outside-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try "SKU,Name,Price\nS-1,Secret credential,1\n".write(toFile: outside + "/creds.csv", atomically: true, encoding: .utf8)
        let outsideName = (outside as NSString).lastPathComponent

        let source = "{ \"type\": \"filesystem\", \"path\": \"feeds/products.csv\" }"
        let fixture = try APIFixture(importers: ["feed": itemsDefinition(source: source)])
        let feeds = fixture.root + "/feeds"
        try FileManager.default.createDirectory(atPath: feeds, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: feeds + "/products.csv", withDestinationPath: "../../\(outsideName)/creds.csv")

        let refused = try fixture.post("/trigger/feed", json: "{\"dry_run\": false}")
        #expect(refused.status == 422)
        #expect(refused.json?["message"]?.stringValue == "source.path 'feeds/products.csv' leads outside the data root.")

        // The same through a symlinked folder.
        try FileManager.default.removeItem(atPath: feeds)
        try FileManager.default.createSymbolicLink(atPath: feeds, withDestinationPath: "../\(outsideName)")
        try FileManager.default.copyItem(atPath: outside + "/creds.csv", toPath: outside + "/products.csv")
        let viaFolder = try fixture.post("/trigger/feed", json: "{\"dry_run\": false}")
        #expect(viaFolder.status == 422)
        #expect(viaFolder.json?["message"]?.stringValue == "source.path 'feeds/products.csv' leads outside the data root.")

        #expect(try fixture.get("/").data?.arrayValue?.isEmpty == true, "no run was created")
        #expect(try fixture.count("items") == 0)
    }
}
