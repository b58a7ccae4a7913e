/// Which accepted connections get a thread, which wait for one, and which are closed to make
/// room: the admission policy of ``HTTPServer``, with no sockets or threads of its own.
///
/// An accepted connection takes a slot (a thread) at once when the caps allow, otherwise it
/// waits for one:
///
/// - at most ``Limits/maxConnections`` connections hold a slot;
/// - a connection is *unauthenticated* until a request on it passes a route's admission check
///   with ``Admission/authenticated(principal:)``; at most ``Limits/maxUnauthenticated`` of the
///   slot holders, and at most ``Limits/maxUnauthenticatedPerClient`` per client address
///   (``ClientAddress``), may be unauthenticated.
///
/// When a cap is full, the unauthenticated connection that has held its slot longest is closed
/// (evicted) to make room, taken from the newcomer's own address for the per-address cap and
/// from the address holding the most unauthenticated connections otherwise. A connection younger
/// than ``Limits/evictionGrace`` is never evicted, so a burst of well-behaved clients whose heads
/// are merely in flight does not evict itself; the newcomer waits instead. Waiting connections
/// are admitted newest first (adaptive LIFO) at the next departure or authentication, or when a
/// connection's grace period ends, and a newcomer that can get in by eviction does so at once:
/// under a flood the queue holds mostly the flood, and a client arriving after it should not
/// wait behind it; the flood's connections time out with `503` instead. Authenticated
/// connections are never evicted, so slow or anonymous clients cannot take the slots that
/// authenticated clients need. A connection still waiting after ``Limits/queueTimeout`` (or
/// arriving when ``Limits/maxWaiting`` already wait) is rejected (`503`).
struct ConnectionTable {
    /// The caps, from ``HTTPServerConfiguration``.
    struct Limits: Sendable {
        var maxConnections: Int
        var maxUnauthenticated: Int
        var maxUnauthenticatedPerClient: Int
        var maxWaiting: Int
        var queueTimeout: Duration
        var evictionGrace: Duration

        init(maxConnections: Int, maxUnauthenticated: Int, maxUnauthenticatedPerClient: Int, maxWaiting: Int,
             queueTimeout: Duration, evictionGrace: Duration) {
            self.maxConnections = max(1, maxConnections)
            self.maxUnauthenticated = max(1, maxUnauthenticated)
            self.maxUnauthenticatedPerClient = max(1, maxUnauthenticatedPerClient)
            self.maxWaiting = max(0, maxWaiting)
            self.queueTimeout = queueTimeout
            self.evictionGrace = evictionGrace
        }

        init(_ configuration: HTTPServerConfiguration) {
            self.init(
                maxConnections: configuration.maxConnections,
                maxUnauthenticated: configuration.maxUnauthenticatedConnections,
                maxUnauthenticatedPerClient: configuration.maxUnauthenticatedConnectionsPerAddress,
                maxWaiting: configuration.backlog, queueTimeout: configuration.connectionQueueTimeout,
                evictionGrace: configuration.evictionGrace
            )
        }
    }

    /// A connection that was given a slot and must now be served.
    struct Admitted: Sendable {
        var id: Int
        var descriptor: Int32
        var remoteAddress: String
    }

    /// An accepted connection waiting for a slot.
    struct Waiting: Sendable {
        var descriptor: Int32
        var remoteAddress: String
        var client: String
        var deadline: ContinuousClock.Instant
    }

    /// What an operation asks the server to do.
    struct Changes: Sendable {
        /// Connections to serve, each on a thread.
        var admitted: [Admitted] = []
        /// Connections to close at once (`shutdown()` on their descriptor) to make room.
        var evicted: [(descriptor: Int32, remoteAddress: String)] = []
        /// Connections to answer `503` and close; they never held a slot.
        var rejected: [Waiting] = []
    }

    private struct Entry {
        /// `-1` once the connection's thread has closed it.
        var descriptor: Int32
        var remoteAddress: String
        var client: String
        var since: ContinuousClock.Instant
        var authenticated = false
        var evicted = false

        /// Counted against the unauthenticated caps, and so a candidate for eviction.
        var isUnauthenticated: Bool { !authenticated && !evicted && descriptor >= 0 }
    }

    let limits: Limits
    private var entries: [Int: Entry] = [:]
    private var waiting: [Waiting] = []
    private var nextID = 0
    private var admitting = true

    init(limits: Limits) {
        self.limits = limits
    }

    /// Whether no connection holds a slot (evicted ones included, until their thread is done).
    var isEmpty: Bool { entries.isEmpty }

    /// The descriptors of every connection still open, for shutdown.
    var openDescriptors: [Int32] { entries.values.compactMap { $0.descriptor >= 0 ? $0.descriptor : nil } }

    /// When ``tick(now:)`` next has something to do: the first waiting connection times out, or
    /// (while some wait) an unauthenticated connection's grace period ends.
    func nextWakeup(after now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let firstDeadline = waiting.lazy.map(\.deadline).min() else { return nil }
        let graceEnds = entries.values.lazy.filter(\.isUnauthenticated).map { $0.since + self.limits.evictionGrace }.filter { $0 > now }
        return min(firstDeadline, graceEnds.min() ?? firstDeadline)
    }

    /// Unauthenticated connections holding a slot, for tests and logs.
    var unauthenticatedCount: Int { entries.values.filter(\.isUnauthenticated).count }

    /// A new connection: it is admitted at once when the caps allow (evicting if need be),
    /// otherwise it waits, or is rejected when too many already wait.
    mutating func arrive(descriptor: Int32, remoteAddress: String, now: ContinuousClock.Instant) -> Changes {
        var changes = Changes()
        let newcomer = Waiting(descriptor: descriptor, remoteAddress: remoteAddress, client: ClientAddress.key(of: remoteAddress),
                               deadline: now + limits.queueTimeout)
        if admitting && makeRoom(for: newcomer.client, now: now, into: &changes) {
            admit(newcomer, now: now, into: &changes)
        } else if admitting && waiting.count < limits.maxWaiting {
            waiting.append(newcomer)
        } else {
            changes.rejected.append(newcomer)
        }
        return changes
    }

    /// Rejects the waiting connections whose queue timeout has passed, then admits those that
    /// now fit (a grace period may have ended).
    mutating func tick(now: ContinuousClock.Instant) -> Changes {
        var changes = Changes()
        changes.rejected = waiting.filter { $0.deadline <= now }
        waiting.removeAll { $0.deadline <= now }
        schedule(now: now, into: &changes)
        return changes
    }

    /// Connection `id` passed an admission check as authenticated: it stops counting against
    /// the unauthenticated caps, which may let a waiting connection in.
    mutating func authenticated(_ id: Int, now: ContinuousClock.Instant) -> Changes {
        var changes = Changes()
        guard entries[id]?.authenticated == false else { return changes }
        entries[id]?.authenticated = true
        schedule(now: now, into: &changes)
        return changes
    }

    /// Connection `id`'s descriptor is about to be closed: it can no longer be evicted.
    mutating func descriptorClosed(_ id: Int) {
        entries[id]?.descriptor = -1
    }

    /// Connection `id`'s thread is done with it: its slot goes to waiting connections.
    mutating func depart(_ id: Int, now: ContinuousClock.Instant) -> Changes {
        var changes = Changes()
        entries.removeValue(forKey: id)
        schedule(now: now, into: &changes)
        return changes
    }

    /// Stops admitting (shutdown): every waiting connection is rejected.
    mutating func stopAdmitting() -> Changes {
        admitting = false
        var changes = Changes()
        changes.rejected = waiting
        waiting.removeAll()
        return changes
    }

    // MARK: - Policy

    /// Admits waiting connections, newest first, for as long as room can be found; one that
    /// cannot get in yet (its address is at its cap) does not hold up those of other addresses.
    private mutating func schedule(now: ContinuousClock.Instant, into changes: inout Changes) {
        guard admitting else { return }
        var index = waiting.count - 1
        while index >= 0 {
            let candidate = waiting[index]
            if makeRoom(for: candidate.client, now: now, into: &changes) {
                waiting.remove(at: index)
                admit(candidate, now: now, into: &changes)
            }
            index -= 1
        }
    }

    private mutating func admit(_ connection: Waiting, now: ContinuousClock.Instant, into changes: inout Changes) {
        let id = nextID
        nextID += 1
        entries[id] = Entry(descriptor: connection.descriptor, remoteAddress: connection.remoteAddress, client: connection.client, since: now)
        changes.admitted.append(Admitted(id: id, descriptor: connection.descriptor, remoteAddress: connection.remoteAddress))
    }

    /// Evicted connections give their slot up at once; their threads finish within moments.
    private var slotsHeld: Int { entries.values.count(where: { !$0.evicted }) }

    /// Makes room for one more unauthenticated connection of `client`, evicting at most two
    /// connections (one for the per-address cap, one for the overall caps); evicts nothing and
    /// returns false when some cap cannot be met.
    private mutating func makeRoom(for client: String, now: ContinuousClock.Instant, into changes: inout Changes) -> Bool {
        let unauthenticated = entries.filter { $0.value.isUnauthenticated }
        var victims: [Int] = []
        if unauthenticated.values.count(where: { $0.client == client }) >= limits.maxUnauthenticatedPerClient {
            guard let victim = victim(among: unauthenticated.filter { $0.value.client == client }, now: now) else { return false }
            victims.append(victim)
        }
        if unauthenticated.count - victims.count >= limits.maxUnauthenticated || slotsHeld - victims.count >= limits.maxConnections {
            guard let victim = victim(among: unauthenticated.filter { !victims.contains($0.key) }, now: now) else { return false }
            victims.append(victim)
        }
        for id in victims {
            guard let entry = entries[id] else { continue }
            entries[id]?.evicted = true
            changes.evicted.append((entry.descriptor, entry.remoteAddress))
        }
        return true
    }

    /// The connection to evict among `candidates`: past the grace period, of the address with the
    /// most candidates, the one that has held its slot longest.
    private func victim(among candidates: [Int: Entry], now: ContinuousClock.Instant) -> Int? {
        var perClient: [String: Int] = [:]
        for entry in candidates.values { perClient[entry.client, default: 0] += 1 }
        let eligible = candidates.filter { now - $0.value.since >= limits.evictionGrace }
        return eligible.min { left, right in
            let (leftCount, rightCount) = (perClient[left.value.client] ?? 0, perClient[right.value.client] ?? 0)
            if leftCount != rightCount { return leftCount > rightCount }
            if left.value.since != right.value.since { return left.value.since < right.value.since }
            return left.key < right.key
        }?.key
    }
}
