import Foundation
import Synchronization
import Testing
@testable import Outbound

/// A temp file path that is removed by `defer { remove(path) }` in the tests.
func temporaryPath() -> String {
    NSTemporaryDirectory() + "outbound-\(UUID().uuidString)"
}

func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// GETs `url` with `client` into a temp file; returns the response and the body.
func fetch(_ client: OutboundHTTPClient, _ url: String, headers: [(name: String, value: String)] = [],
           timeout: Duration = .seconds(10), maxBodyBytes: Int64 = 1 << 20) throws(OutboundError) -> (response: OutboundHTTPClient.Response, body: String) {
    let path = temporaryPath()
    defer { remove(path) }
    let sink = try FileSink(creating: path)
    let response = try client.get(url, headers: headers, timeout: timeout, maxBodyBytes: maxBodyBytes, into: sink)
    sink.close()
    let body = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
    return (response, body)
}

/// The error `body` throws, or nil when it succeeds (an error of another type is an issue).
func failure(_ body: () throws -> Void) -> OutboundError? {
    do { try body() } catch let error as OutboundError { return error } catch {
        Issue.record("unexpected error \(error)")
    }
    return nil
}

/// A resolver answering from a table (names it lacks do not resolve) and counting its calls.
final class TableResolver: Sendable {
    private let table: [String: [IPAddress]]
    private let calls = Mutex<[String]>([])

    init(_ table: [String: [IPAddress]]) { self.table = table }

    var resolver: HostResolver {
        HostResolver { [self] host throws(OutboundError) in
            calls.withLock { $0.append(host) }
            guard let found = table[host] else { throw .unresolvable(host: host, reason: "no such host") }
            return found
        }
    }

    var lookups: [String] { calls.withLock { $0 } }
}

let loopback = IPAddress(127, 0, 0, 1)
