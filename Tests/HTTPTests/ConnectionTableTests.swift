import Testing
@testable import HTTP

@Suite("Connection admission policy")
struct ConnectionTableTests {
    /// A table with a fixed clock: times are offsets from `zero`.
    struct Harness {
        var table: ConnectionTable
        let zero = ContinuousClock.now
        private var nextDescriptor: Int32 = 100

        init(maxConnections: Int = 8, maxUnauthenticated: Int = 4, perClient: Int = 2, maxWaiting: Int = 8) {
            table = ConnectionTable(limits: ConnectionTable.Limits(
                maxConnections: maxConnections, maxUnauthenticated: maxUnauthenticated, maxUnauthenticatedPerClient: perClient,
                maxWaiting: maxWaiting, queueTimeout: .seconds(1), evictionGrace: .seconds(1)))
        }

        func at(_ seconds: Double) -> ContinuousClock.Instant { zero + .seconds(seconds) }

        /// A connection from `address` arriving at `seconds`: its descriptor and what changed.
        mutating func arrive(_ address: String, at seconds: Double) -> (Int32, ConnectionTable.Changes) {
            nextDescriptor += 1
            return (nextDescriptor, table.arrive(descriptor: nextDescriptor, remoteAddress: address, now: at(seconds)))
        }
    }

    @Test("below every cap a connection is admitted at once")
    func admitsAtOnce() {
        var harness = Harness()
        let (descriptor, changes) = harness.arrive("192.0.2.1", at: 0)
        #expect(changes.admitted.map(\.descriptor) == [descriptor])
        #expect(changes.evicted.isEmpty && changes.rejected.isEmpty)
    }

    @Test("past the per-address cap the address's own oldest connection is evicted, but only after the grace period")
    func perAddressCap() {
        var harness = Harness()
        let (first, _) = harness.arrive("192.0.2.1", at: 0)
        _ = harness.arrive("192.0.2.1", at: 0.5)
        _ = harness.arrive("198.51.100.7", at: 0.5)
        // Everyone is younger than the grace period: the newcomer waits.
        let (waiting, early) = harness.arrive("192.0.2.1", at: 0.9)
        #expect(early.admitted.isEmpty && early.evicted.isEmpty)
        // Another address is not held up by it.
        #expect(harness.arrive("203.0.113.9", at: 0.9).1.admitted.count == 1)
        // The server wakes when the oldest one's grace period ends; then the newcomer gets in in
        // exchange for it, and the other address's connection is untouched.
        #expect(harness.table.nextWakeup(after: harness.at(0.9)) == harness.at(1))
        let later = harness.table.tick(now: harness.at(1))
        #expect(later.evicted.map(\.descriptor) == [first])
        #expect(later.admitted.map(\.descriptor) == [waiting])
    }

    @Test("a newcomer that can evict gets in at once, ahead of those already waiting")
    func newcomerFirst() {
        var harness = Harness(maxConnections: 8, maxUnauthenticated: 8, perClient: 1)
        let (old, _) = harness.arrive("192.0.2.1", at: 0)
        let (flooding, queued) = harness.arrive("192.0.2.1", at: 0.5)
        #expect(queued.admitted.isEmpty)
        let (newcomer, changes) = harness.arrive("192.0.2.1", at: 1.5)
        #expect(changes.evicted.map(\.descriptor) == [old])
        #expect(changes.admitted.map(\.descriptor) == [newcomer])
        // The one that waited times out, unless a slot frees first.
        #expect(harness.table.tick(now: harness.at(1.6)).rejected.map(\.descriptor) == [flooding])
    }

    @Test("past the overall cap the oldest connection of the busiest address is evicted")
    func overallCap() {
        var harness = Harness(maxUnauthenticated: 4, perClient: 3)
        _ = harness.arrive("192.0.2.1", at: 0)
        let (busiestOldest, _) = harness.arrive("192.0.2.2", at: 0.1)
        _ = harness.arrive("192.0.2.2", at: 0.2)
        _ = harness.arrive("192.0.2.2", at: 0.3)
        let (newcomer, changes) = harness.arrive("192.0.2.3", at: 2)
        // 192.0.2.1's connection is older, but 192.0.2.2 holds the most.
        #expect(changes.evicted.map(\.descriptor) == [busiestOldest])
        #expect(changes.admitted.map(\.descriptor) == [newcomer])
        #expect(harness.table.unauthenticatedCount == 4)
    }

    @Test("authenticated connections are never evicted; past the connection cap newcomers wait and are then rejected together")
    func authenticatedAreSafe() {
        var harness = Harness(maxConnections: 2, maxUnauthenticated: 2, perClient: 2)
        let ids = (0..<2).compactMap { _ in harness.arrive("192.0.2.1", at: 0).1.admitted.first?.id }
        #expect(ids.count == 2)
        for id in ids { _ = harness.table.authenticated(id, now: harness.at(0.1)) }
        var queued: [Int32] = []
        for index in 0..<5 {
            let (descriptor, changes) = harness.arrive("192.0.2.9", at: 5 + Double(index) * 0.01)
            #expect(changes.admitted.isEmpty && changes.evicted.isEmpty && changes.rejected.isEmpty)
            queued.append(descriptor)
        }
        #expect(harness.table.nextWakeup(after: harness.at(5.05)) == harness.at(6))
        #expect(harness.table.tick(now: harness.at(5.5)).rejected.isEmpty)
        // Every connection's wait counts from its own arrival, so all five time out at about
        // the same moment, not one queue timeout after another.
        #expect(harness.table.tick(now: harness.at(6.05)).rejected.map(\.descriptor) == queued)
    }

    @Test("a departure hands the slot to the newest waiting connection that fits")
    func departureAdmitsInOrder() {
        var harness = Harness(maxConnections: 2, maxUnauthenticated: 2, perClient: 2)
        let first = harness.arrive("192.0.2.1", at: 0).1.admitted[0]
        let second = harness.arrive("192.0.2.1", at: 0).1.admitted[0]
        _ = harness.table.authenticated(first.id, now: harness.at(0))
        _ = harness.table.authenticated(second.id, now: harness.at(0))
        let (a, _) = harness.arrive("192.0.2.5", at: 0.1)
        let (b, _) = harness.arrive("192.0.2.6", at: 0.2)
        let changes = harness.table.depart(first.id, now: harness.at(0.3))
        #expect(changes.admitted.map(\.descriptor) == [b])
        #expect(harness.table.depart(second.id, now: harness.at(0.4)).admitted.map(\.descriptor) == [a])
    }

    @Test("a connection that authenticates frees its unauthenticated slot for a waiting one")
    func authenticationFreesRoom() {
        var harness = Harness(maxConnections: 8, maxUnauthenticated: 1, perClient: 1)
        let holder = harness.arrive("192.0.2.1", at: 0).1.admitted[0]
        let (waiting, changes) = harness.arrive("192.0.2.2", at: 0.1)
        #expect(changes.admitted.isEmpty)
        #expect(harness.table.authenticated(holder.id, now: harness.at(0.2)).admitted.map(\.descriptor) == [waiting])
    }

    @Test("past the waiting room a newcomer is rejected at once; after shutdown everyone waiting is")
    func waitingRoomFull() {
        var harness = Harness(maxConnections: 1, maxUnauthenticated: 1, perClient: 1, maxWaiting: 2)
        _ = harness.arrive("192.0.2.1", at: 0)
        _ = harness.arrive("192.0.2.2", at: 0)
        _ = harness.arrive("192.0.2.3", at: 0)
        let (rejected, changes) = harness.arrive("192.0.2.4", at: 0)
        #expect(changes.rejected.map(\.descriptor) == [rejected])
        #expect(harness.table.stopAdmitting().rejected.count == 2)
        #expect(harness.arrive("192.0.2.5", at: 3).1.rejected.count == 1)
    }

    @Test("evicted and closed connections stop counting; only open ones are listed for shutdown")
    func bookkeeping() {
        var harness = Harness(maxConnections: 8, maxUnauthenticated: 8, perClient: 1)
        let first = harness.arrive("192.0.2.1", at: 0).1.admitted[0]
        let changes = harness.arrive("192.0.2.1", at: 2).1
        #expect(changes.evicted.map(\.descriptor) == [first.descriptor])
        #expect(harness.table.unauthenticatedCount == 1)
        harness.table.descriptorClosed(first.id)
        #expect(!harness.table.openDescriptors.contains(first.descriptor))
        _ = harness.table.depart(first.id, now: harness.at(2.1))
        #expect(harness.table.openDescriptors.count == 1)
    }

    @Test("client addresses: IPv4 as is, IPv4-mapped as IPv4, other IPv6 by /64", arguments: [
        ("192.0.2.1", "192.0.2.1"), ("::ffff:192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"), ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::1", "0:0:0:0::/64"), ("not an address", "not an address"),
    ])
    func clientKeys(address: String, key: String) {
        #expect(ClientAddress.key(of: address) == key)
    }
}
