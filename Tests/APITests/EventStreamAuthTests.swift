import API
import Dispatch
import Engine
import Foundation
import Glibc
import HTTP
import Synchronization
import Testing

/// Event streams end when the credential that opened them does, and a client that sends bytes
/// cannot hold the event-stream thread; over real sockets on 127.0.0.1.
@Suite("Live events: revoked tokens, ended sessions and noisy clients")
struct EventStreamAuthTests {
    typealias Live = EventStreamTests.Live

    /// A flag the flooding thread sets.
    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// Reads until the server closes the stream; true when it sent no further event and said why.
    static func endedUnauthenticated(_ stream: EventStreamClient, within timeout: Duration = .seconds(10)) -> Bool {
        do {
            let event = try stream.next(timeout: timeout)
            Issue.record("an event after the credential ended: \(event.name ?? "") \(event.data)")
            return false
        } catch {
            return stream.comments.contains("unauthenticated") && stream.socket.waitForClose(timeout: .seconds(10))
        }
    }

    /// `POST /session` with `token` on `live`'s server: the cookie pair and the CSRF token.
    static func signIn(_ live: Live, token: String) throws -> (cookie: String, csrf: String) {
        let response = try TestHTTPClient(port: live.server.port).send(
            "POST", APIFixture.prefix + "/session", headers: [("Content-Type", "application/json")],
            body: Array("{\"token\":\"\(token)\"}".utf8))
        #expect(response.status == 201 || response.status == 200)
        let cookie = String((response.header("Set-Cookie") ?? "").prefix { $0 != ";" })
        return (cookie, response.data?.string("csrf_token") ?? "")
    }

    @Test("a run's stream opened with a token ends after the token is revoked; other tokens' streams go on")
    func revokedToken() throws {
        let live = try Live(heartbeat: .seconds(600))
        let token = try TokenStore(live.store).create(name: "watcher", userID: nil, scopes: [.read]).token
        let id = try live.newRun()
        let path = APIFixture.prefix + "/\(id)/events"
        let stream = try EventStreamClient(port: live.server.port, path: path, token: token)
        let other = try live.open("/\(id)/events")
        #expect(try stream.next().name == "status")
        #expect(try other.next().name == "status")

        try TokenStore(live.store).revoke(name: "watcher")
        #expect(Self.endedUnauthenticated(stream))
        #expect(try EventStreamClient(port: live.server.port, path: path, token: token).status == 401)
        #expect(try live.store.claim(id, owner: Live.owner, definitionHash: nil))
        #expect(try other.next().json?.string("status") == "processing", "the fixture token's stream is unaffected")
    }

    @Test("a list stream opened with the session cookie ends after DELETE /session; a Bearer stream goes on")
    func signedOut() throws {
        let live = try Live(heartbeat: .seconds(600))
        let (cookie, csrf) = try Self.signIn(live, token: live.fixture.token)
        let stream = try EventStreamClient(port: live.server.port, path: APIFixture.prefix + "/events", token: nil,
                                           headers: [("Cookie", cookie)])
        #expect(stream.status == 200)
        let bearer = try live.open("/events")
        let first = try live.newRun()
        #expect(try stream.next().json?.int("id") == first)
        #expect(try bearer.next().json?.int("id") == first)

        let out = try TestHTTPClient(port: live.server.port).send(
            "DELETE", APIFixture.prefix + "/session", headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)])
        #expect(out.status == 200 || out.status == 204)
        #expect(Self.endedUnauthenticated(stream))
        let second = try live.newRun()
        #expect(try bearer.next().json?.int("id") == second)
    }

    @Test("a session's stream ends when the session expires, with no request and no database change")
    func expiredSession() throws {
        let live = try Live(heartbeat: .seconds(600))
        let credential = try #require(try TokenStore(live.store).credentials().first)
        let id = try live.newRun()
        // A short session, longer ones only when a loaded machine took the whole lifetime to
        // open the stream (then the open is refused with 401, or the first event never comes).
        for seconds in [2, 5, 15] {
            let session = try SessionStore(live.store).create(for: credential, lifetime: .seconds(seconds))
            let stream = try EventStreamClient(port: live.server.port, path: APIFixture.prefix + "/\(id)/events", token: nil,
                                               headers: [("Cookie", "ingest_session=\(session.id)")])
            guard stream.status == 200, (try? stream.next(timeout: .seconds(seconds)))?.name == "status" else { continue }
            #expect(Self.endedUnauthenticated(stream, within: .seconds(seconds + 10)))
            return
        }
        Issue.record("no stream could be opened within a session's lifetime of 2, 5 or 15 s")
    }

    @Test("a client that keeps sending bytes after its request is closed and does not stall another stream")
    func floodingClient() throws {
        let live = try Live(heartbeat: .seconds(600))
        let quiet = try live.open("/events")
        let noisy = try live.open("/events")
        #expect(quiet.status == 200 && noisy.status == 200)
        let descriptor = noisy.socket.descriptor
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // The flood runs beside the quiet stream's reads; it stops when the server drops the
        // connection (the send fails) or after 256 MiB.
        let stoppedByServer = Flag()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            for _ in 0..<4096 {
                let sent = chunk.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent < 0 && errno != EINTR {
                    stoppedByServer.value.store(errno == EPIPE || errno == ECONNRESET, ordering: .releasing)
                    break
                }
            }
            done.signal()
        }
        let id = try live.newRun()
        #expect(try quiet.next().json?.int("id") == id)
        #expect(done.wait(timeout: .now() + 60) == .success)
        let closed = stoppedByServer.value.load(ordering: .acquiring)
        #expect(closed, "the server closed the noisy stream")
        _ = try live.fixture.eventually("the noisy stream to leave the budget") { live.server.openEventStreams == 1 ? true : nil }
        #expect(try live.store.claim(id, owner: Live.owner, definitionHash: nil))
        #expect(try quiet.next().json?.string("status") == "processing")
    }
}
