/// An HTTP(S) client for requests made on an operator's behalf (GET for url sources, POST for webhooks):
/// every hop is checked by an ``AddressPolicy`` and connected to the addresses that were checked.
///
/// - Redirects (301, 302, 303, 307, 308) are followed by hand, at most `maxRedirects` of them,
///   and each target is checked like the first URL: scheme, allow-list, every address.
/// - `headers` (e.g. `Authorization`) go to the first URL's origin (scheme, host, port) only;
///   a hop to another origin gets none of them, a hop back to the origin gets them again.
/// - `timeout` covers the whole exchange, redirects included; a 2xx body over `maxBodyBytes`
///   aborts the transfer. Other statuses fail with ``OutboundError/httpStatus(_:)`` unread.
package struct OutboundHTTPClient: Sendable {
    package var policy: AddressPolicy
    package var maxRedirects: Int

    package init(policy: AddressPolicy, maxRedirects: Int = 5) {
        self.policy = policy
        self.maxRedirects = maxRedirects
    }

    package struct Response: Sendable {
        /// The URL that answered 2xx (after redirects).
        package let url: OutboundURL
        package let status: Int
        package let redirects: Int
    }

    /// GETs `url`, streaming the 2xx body into `sink`.
    package func get(_ url: String, headers: [(name: String, value: String)] = [], timeout: Duration, maxBodyBytes: Int64,
                     into sink: any BodySink) throws(OutboundError) -> Response {
        let deadline = ContinuousClock.now + timeout
        let first = try OutboundURL(url)
        var current = first
        var addresses = try policy.admit(first)
        var redirects = 0
        while true {
            let request = PinnedRequest(url: current, addresses: addresses, headers: current.origin == first.origin ? headers : [],
                                        deadline: deadline, maxBodyBytes: maxBodyBytes)
            let response = try PinnedTransfer.perform(request, into: sink)
            if (200..<300).contains(response.status) {
                return Response(url: current, status: response.status, redirects: redirects)
            }
            guard Self.redirectStatuses.contains(response.status), let location = response.redirectURL else {
                throw .httpStatus(response.status)
            }
            redirects += 1
            guard redirects <= maxRedirects else { throw .tooManyRedirects(limit: maxRedirects) }
            do throws(OutboundError) {
                current = try OutboundURL(location)
                addresses = try policy.admit(current)
            } catch {
                throw .redirectRefused(error)
            }
        }
    }

    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// POSTs `body` to `url` once, without following redirects (a webhook's receiver answers
    /// where it is), after the same checks as ``get(_:headers:timeout:maxBodyBytes:into:)``:
    /// scheme, allow-list, every address of the host, the connection pinned to them. Returns the
    /// status of any answer (2xx or not); a response body is read and dropped.
    package func post(_ url: String, body: String, headers: [(name: String, value: String)], timeout: Duration) throws(OutboundError) -> Int {
        let deadline = ContinuousClock.now + timeout
        let target = try OutboundURL(url)
        let addresses = try policy.admit(target)
        var request = PinnedRequest(url: target, addresses: addresses, headers: headers, deadline: deadline, maxBodyBytes: Int64.max)
        request.postBody = body
        return try PinnedTransfer.perform(request, into: DiscardSink()).status
    }
}

/// Drops a response body (a webhook receiver's answer is not kept).
package final class DiscardSink: BodySink {
    package init() {}
    package func write(_ bytes: UnsafeRawBufferPointer) throws(OutboundError) {}
}
