import CCurl
import IngestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request, with libcurl, to a URL whose addresses were already checked (see
/// ``AddressPolicy/admit(_:)``). The connection is pinned twice over:
/// - `CURLOPT_RESOLVE` hands libcurl the checked addresses for the host, so it never resolves
///   the name itself (no DNS rebinding between check and connect) while TLS still verifies the
///   certificate against, and sends SNI for, the host name;
/// - the open-socket callback refuses any address that is not one of them.
///
/// libcurl follows no redirects (the caller checks each hop), uses no proxy, no cookies and no
/// `.netrc`, and speaks only the protocols given. A non-2xx body is not read.
package struct PinnedRequest {
    package var url: OutboundURL
    /// The addresses the connection may use (from ``AddressPolicy/admit(_:)``).
    package var addresses: [IPAddress]
    package var headers: [(name: String, value: String)]
    /// The whole exchange must end by then (connect, TLS, headers and body).
    package var deadline: ContinuousClock.Instant
    /// A longer 2xx body (announced, or received after decoding gzip/deflate/brotli) aborts with
    /// ``OutboundError/tooLarge(limit:)``.
    package var maxBodyBytes: Int64
    /// libcurl's protocol list (`CURLOPT_PROTOCOLS_STR`).
    package var protocols: String = "http,https"
    /// FTP, FTPS and SFTP: the login and the server checks. nil for http(s).
    package var login: RemoteFileLogin?
    /// A body to POST (sent as given, without `Expect: 100-continue`); nil for a GET.
    package var postBody: String?

    package init(url: OutboundURL, addresses: [IPAddress], headers: [(name: String, value: String)] = [],
                 deadline: ContinuousClock.Instant, maxBodyBytes: Int64) {
        self.url = url; self.addresses = addresses; self.headers = headers
        self.deadline = deadline; self.maxBodyBytes = maxBodyBytes
    }
}

package struct PinnedResponse: Sendable {
    package let status: Int
    /// The absolute target of a redirect (libcurl's resolution of `Location`), if any.
    package let redirectURL: String?
}

package enum PinnedTransfer {
    package static func perform(_ request: PinnedRequest, into sink: any BodySink) throws(OutboundError) -> PinnedResponse {
        _ = curlGlobalInit
        let remaining = request.deadline - ContinuousClock.now
        guard remaining > .zero else { throw .timedOut }
        // Declared before the handle, so they are freed after curl_easy_cleanup (defers run in reverse).
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var lists = SList()
        defer { lists.free() }
        guard let handle = curl_easy_init() else { throw .transfer("libcurl could not start a transfer.") }
        defer { curl_easy_cleanup(handle) }
        let state = TransferState(handle: handle, sink: sink, maxBodyBytes: request.maxBodyBytes, allowed: Set(request.addresses))
        state.checksHTTPStatus = request.login == nil
        state.listensLocally = request.login?.passive == false
        state.usesSSH = request.url.scheme == "sftp"
        let context = Unmanaged.passUnretained(state).toOpaque()

        let options = Options(handle: handle)
        try options.string(CURLOPT_URL, request.url.text)
        try options.string(CURLOPT_PROTOCOLS_STR, request.protocols)
        try options.long(CURLOPT_FOLLOWLOCATION, 0)
        try options.long(CURLOPT_NOSIGNAL, 1)
        try options.string(CURLOPT_PROXY, "")
        try options.string(CURLOPT_USERAGENT, "Ingest")
        // Any encoding libcurl can decode; the size cap counts decoded bytes (no compression bomb).
        try options.string(CURLOPT_ACCEPT_ENCODING, "")
        try options.long(CURLOPT_TIMEOUT_MS, max(1, milliseconds(remaining)))
        try options.long(CURLOPT_CONNECTTIMEOUT_MS, max(1, milliseconds(remaining)))
        try options.pointer(CURLOPT_ERRORBUFFER, errorBuffer)
        if request.url.literalAddress == nil {
            let entry = "\(request.url.host):\(request.url.port):" + request.addresses.map(\.resolveEntryText).joined(separator: ",")
            try options.list(CURLOPT_RESOLVE, lists.make([entry]))
        }
        var lines = try headerLines(request.headers)
        if let body = request.postBody {
            // Set the size first: COPYPOSTFIELDS copies that many bytes.
            try options.long(CURLOPT_POSTFIELDSIZE, body.utf8.count)
            try options.string(CURLOPT_COPYPOSTFIELDS, body)
            // A receiver that does not answer 100-continue would stall the delivery for a second.
            lines.append("Expect:")
        }
        try options.list(CURLOPT_HTTPHEADER, lists.make(lines))
        try options.check(ccurl_setopt_opensocket_function(handle, openSocketCallback), "CURLOPT_OPENSOCKETFUNCTION")
        try options.pointer(CURLOPT_OPENSOCKETDATA, context)
        try options.check(ccurl_setopt_write_function(handle, writeCallback), "CURLOPT_WRITEFUNCTION")
        try options.pointer(CURLOPT_WRITEDATA, context)
        if let login = request.login { try RemoteFileOptions.apply(login, options: options, state: state) }

        let code = withExtendedLifetime(state) { curl_easy_perform(handle) }
        try outcome(code, state: state, message: String(cString: errorBuffer))
        return PinnedResponse(status: getLong(handle, CURLINFO_RESPONSE_CODE), redirectURL: getString(handle, CURLINFO_REDIRECT_URL))
    }

    /// Maps libcurl's result and what the callbacks recorded to a result or an error.
    private static func outcome(_ code: CURLcode, state: TransferState, message: String) throws(OutboundError) {
        if code == CURLE_OK { return }
        if code == CURLE_WRITE_ERROR, let stop = state.stop {
            switch stop {
            case .notSuccess: return
            case .tooLarge: throw .tooLarge(limit: state.maxBodyBytes)
            case .sink(let error): throw error
            }
        }
        if code == CURLE_OPERATION_TIMEDOUT { throw .timedOut }
        if let refused = state.refused { throw .unexpectedAddress(refused) }
        if !state.checksHTTPStatus, let remote = RemoteFileOptions.error(code, state: state, message: message) { throw remote }
        throw .transfer(message.isEmpty ? String(cString: curl_easy_strerror(code)) : message)
    }

    /// `Name: value` lines; an empty value is sent as `Name;` (libcurl's spelling for it).
    static func headerLines(_ headers: [(name: String, value: String)]) throws(OutboundError) -> [String] {
        var lines: [String] = []
        for (name, value) in headers {
            let tokenExtras = Set("!#$%&'*+-.^_`|~")
            guard !name.isEmpty, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || tokenExtras.contains($0) }),
                  !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw .invalidHeader(name)
            }
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        return lines
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        return Int(duration.wholeMilliseconds)
    }

    static func getLong(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    static func getString(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard ccurl_getinfo_string(handle, info, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }
}

/// `curl_global_init`, once per process, before the first handle (Swift runs a global's
/// initialiser exactly once, thread-safely).
private let curlGlobalInit: Void = { _ = ccurl_global_init() }()

/// Typed `curl_easy_setopt` calls that turn a refused option into an error.
struct Options {
    let handle: UnsafeMutableRawPointer

    func check(_ code: CURLcode, _ name: String) throws(OutboundError) {
        guard code == CURLE_OK else { throw .transfer("libcurl refused \(name): \(String(cString: curl_easy_strerror(code)))") }
    }

    func long(_ option: CURLoption, _ value: Int) throws(OutboundError) {
        try check(ccurl_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    func string(_ option: CURLoption, _ value: String) throws(OutboundError) {
        // libcurl copies string options.
        try check(ccurl_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    func pointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer) throws(OutboundError) {
        try check(ccurl_setopt_pointer(handle, option, value), "option \(option.rawValue)")
    }

    func pointer(_ option: CURLoption, _ value: UnsafeMutablePointer<CChar>) throws(OutboundError) {
        try check(ccurl_setopt_pointer(handle, option, UnsafeMutableRawPointer(value)), "option \(option.rawValue)")
    }

    func list(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) throws(OutboundError) {
        try check(ccurl_setopt_list(handle, option, value), "option \(option.rawValue)")
    }
}

/// `curl_slist`s that must outlive the transfer (libcurl does not copy them).
private struct SList {
    private var made: [UnsafeMutablePointer<curl_slist>] = []

    mutating func make(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        if let list { made.append(list) }
        return list
    }

    func free() { for list in made { curl_slist_free_all(list) } }
}

/// What the C callbacks share with ``PinnedTransfer/perform(_:into:)``; lives on its stack.
final class TransferState {
    enum Stop { case notSuccess, tooLarge, sink(OutboundError) }

    let handle: UnsafeMutableRawPointer
    let sink: any BodySink
    let maxBodyBytes: Int64
    let allowed: Set<IPAddress>
    var received: Int64 = 0
    var started = false
    var stop: Stop?
    var refused: String?
    /// http(s): only a 2xx body is kept. FTP and SFTP have no such status.
    var checksHTTPStatus = true
    /// Active FTP: the listening socket, on the control connection's local address, is allowed.
    var listensLocally = false
    /// The first socket opened (the control connection), for active FTP's local address.
    var firstSocket: Int32 = -1
    /// An sftp transfer (the SSH options and host key errors apply).
    var usesSSH = false
    /// What the known_hosts check found (a `curl_khmatch`), -1 before it ran.
    let knownHostMatch = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init(handle: UnsafeMutableRawPointer, sink: any BodySink, maxBodyBytes: Int64, allowed: Set<IPAddress>) {
        self.handle = handle; self.sink = sink; self.maxBodyBytes = maxBodyBytes; self.allowed = allowed
        knownHostMatch.initialize(to: -1)
    }

    deinit { knownHostMatch.deallocate() }

    /// Whether `address` is the local address of the control connection (active FTP's listener).
    func isLocalListener(_ address: IPAddress) -> Bool {
        guard listensLocally, firstSocket >= 0 else { return false }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(firstSocket, $0, &length) == 0 }
        }
        guard ok else { return false }
        return withUnsafeBytes(of: &storage) { raw -> IPAddress? in raw.baseAddress.flatMap { IPAddress(socketAddress: $0) } } == address
    }

    /// Body bytes: only a 2xx body within the cap reaches the sink; anything else stops the transfer.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !started {
            started = true
            if checksHTTPStatus && !(200..<300).contains(PinnedTransfer.getLong(handle, CURLINFO_RESPONSE_CODE)) {
                stop = .notSuccess
                return false
            }
            var announced: curl_off_t = -1
            if ccurl_getinfo_offset(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) == CURLE_OK && Int64(announced) > maxBodyBytes {
                stop = .tooLarge
                return false
            }
        }
        received += Int64(bytes.count)
        guard received <= maxBodyBytes else { stop = .tooLarge; return false }
        do { try sink.write(bytes) } catch { stop = .sink(error); return false }
        return true
    }
}

private let writeCallback: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data.map { UnsafeRawPointer($0) }, count: size * count)
    return state.receive(bytes) ? size * count : 0
}

/// Opens a socket only to an address that was checked; any other gets no socket (libcurl then
/// reports it cannot connect, and the refusal is recorded).
private let openSocketCallback: curl_opensocket_callback = { context, _, address in
    guard let context, let address else { return ccurl_bad_socket() }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    guard let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) else { return ccurl_bad_socket() }
    let raw = UnsafeRawPointer(address) + offset
    guard let ip = IPAddress(socketAddress: raw), state.allowed.contains(ip) || state.isLocalListener(ip) else {
        state.refused = IPAddress(socketAddress: raw)?.description ?? "an address of an unknown family"
        return ccurl_bad_socket()
    }
    let socketDescriptor = socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    if socketDescriptor >= 0 { _ = fcntl(socketDescriptor, F_SETFD, FD_CLOEXEC) }
    if state.firstSocket < 0 { state.firstSocket = socketDescriptor }
    return socketDescriptor
}
