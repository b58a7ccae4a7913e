import Foundation
import Synchronization
import Testing
@testable import HTTP

@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    @Test("shutdown finishes the in-flight request, then refuses new connections")
    func finishesInFlight() throws {
        let slowStarted = DispatchSemaphore(value: 0)
        let server = HTTPServer(configuration: TestServer.configuration(), router: TestServer.router(slowStarted: slowStarted), logger: HTTPServer.silentLogger)
        let port = try server.start()
        let client = try TestClient(port: port)
        try client.send("GET /slow?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n")
        let idle = try TestClient(port: port)
        #expect(try idle.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
        // The slow handler is running before shutdown starts: the request is in flight.
        #expect(slowStarted.wait(timeout: .now() + 5) == .success)

        let started = ContinuousClock.now
        server.shutdown()
        try server.run()
        let elapsed = started.duration(to: .now)

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "slept")
        #expect(response.headers["Connection"] == "close")
        #expect(idle.waitForClose(timeout: .seconds(1)))
        #expect(elapsed < .seconds(3))
        #expect(throws: (any Error).self) { _ = try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n") }
    }

    @Test("a stuck request is abandoned after the drain timeout")
    func drainTimeout() throws {
        let configuration = TestServer.configuration(drainTimeout: .milliseconds(200))
        let server = HTTPServer(configuration: configuration, router: TestServer.router(), logger: HTTPServer.silentLogger)
        let port = try server.start()
        let client = try TestClient(port: port)
        // The head never completes, so the connection is busy reading it.
        try client.send("GET /hello HTTP/1.1\r\n")
        // Ready when the server holds the connection (it has no token yet, so it counts as
        // unauthenticated); bounded, so a server that never takes it fails the test.
        var held = false
        for _ in 0..<500 where !held {
            held = server.unauthenticatedConnections == 1
            if !held { usleep(2_000) }
        }
        #expect(held)
        let started = ContinuousClock.now
        server.stop()
        #expect(started.duration(to: .now) < .seconds(2))
    }

    @Test("SIGTERM stops a server run by runUntilSignalled")
    func signal() throws {
        let server = HTTPServer(configuration: TestServer.configuration(), router: TestServer.router(), logger: HTTPServer.silentLogger)
        try server.start()
        // Ignored from the start, so an early signal cannot terminate the test process.
        Glibc.signal(SIGUSR2, SIG_IGN)
        let received = Mutex<Int32?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? server.runUntilSignalled([SIGUSR2]) { number in received.withLock { $0 = number } }
            finished.signal()
        }
        // Dispatch registers the signal source on its own thread, and nothing tells when that is
        // done; a signal before it would be lost (the signal is ignored), so give it time.
        Thread.sleep(forTimeInterval: 0.2)
        kill(getpid(), SIGUSR2)
        #expect(finished.wait(timeout: .now() + 3) == .success)
        #expect(received.withLock { $0 } == SIGUSR2)
    }
}
