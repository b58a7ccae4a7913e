import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Streams an http(s) download to a temp file for a `url` source: with a timeout, a size cap,
/// at most five redirects, an optional host allow-list, and refusal of loopback, private and
/// link-local addresses unless the configuration allows them (each redirect is checked again).
struct URLDownloader {
    let configuration: EngineConfiguration
    static let maxRedirects = 5

    struct Downloaded { let path: String; let fileName: String }

    /// The URL if it may be downloaded: http(s), an allowed host, no internal address.
    func validate(_ address: String) throws(EngineError) -> URL {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidRequest("source.url must be an http or https address.")
        }
        try check(url)
        return url
    }

    func download(_ address: String, headers: [String: String], timeout: Double, maxBytes: Int64) throws(EngineError) -> Downloaded {
        let url = try validate(address)
        let target = try configuration.newUploadPath(prefix: "download-")
        var request = URLRequest(url: url, timeoutInterval: timeout)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let delegate = DownloadDelegate(downloader: self, destination: target, maxBytes: maxBytes)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let task = session.dataTask(with: request)
        task.resume()
        let finished = delegate.done.wait(timeout: .now() + timeout + 1) == .success
        if !finished {
            task.cancel()
            try? FileManager.default.removeItem(atPath: target)
            throw .sourceUnavailable("Downloading \(URLDownloader.redacted(url)) timed out after \(Int(timeout)) s.")
        }
        if let failure = delegate.failure {
            try? FileManager.default.removeItem(atPath: target)
            throw .sourceUnavailable(failure)
        }
        let name = url.lastPathComponent.isEmpty || url.lastPathComponent == "/" ? "download" : url.lastPathComponent
        return Downloaded(path: target, fileName: name)
    }

    /// Refuses hosts outside the allow-list and addresses that reach inside the network.
    func check(_ url: URL) throws(EngineError) {
        guard let host = url.host?.lowercased() else { throw .invalidRequest("source.url has no host.") }
        if !configuration.allowedURLHosts.isEmpty && !configuration.allowedURLHosts.map({ $0.lowercased() }).contains(host) {
            throw .sourceUnavailable("The host '\(host)' is not in the allowed URL hosts.")
        }
        if configuration.allowPrivateURLs { return }
        for address in URLDownloader.resolve(host) where URLDownloader.isInternal(address) {
            throw .sourceUnavailable("The host '\(host)' resolves to an internal address (\(address)); internal addresses are refused.")
        }
    }

    static func redacted(_ url: URL) -> String { "\(url.scheme ?? "http")://\(url.host ?? "")\(url.path)" }

    /// Numeric addresses of `host` (getaddrinfo).
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let info = p {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            p = info.pointee.ai_next
        }
        return out
    }

    /// Loopback, private (RFC 1918, fc00::/7), link-local, unspecified and CGNAT addresses.
    static func isInternal(_ address: String) -> Bool {
        let a = address.lowercased()
        if a.contains(":") {
            if a == "::1" || a == "::" { return true }
            if a.hasPrefix("fe8") || a.hasPrefix("fe9") || a.hasPrefix("fea") || a.hasPrefix("feb") { return true }
            if a.hasPrefix("fc") || a.hasPrefix("fd") { return true }
            if a.hasPrefix("::ffff:") { return isInternal(String(a.dropFirst(7))) }
            return false
        }
        let parts = a.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return true }
        switch (parts[0], parts[1]) {
        case (127, _), (10, _), (0, _): return true
        case (172, 16...31), (192, 168), (169, 254), (100, 64...127): return true
        default: return false
        }
    }
}

/// Writes the body to disk as it arrives and enforces the size cap and redirect rules.
/// `@unchecked Sendable`: URLSession calls it on its own serial delegate queue only.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let downloader: URLDownloader
    let destination: String
    let maxBytes: Int64
    let done = DispatchSemaphore(value: 0)
    var failure: String?
    var handle: FileHandle?
    var received: Int64 = 0
    var redirects = 0

    init(downloader: URLDownloader, destination: String, maxBytes: Int64) {
        self.downloader = downloader; self.destination = destination; self.maxBytes = maxBytes
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        redirects += 1
        guard redirects <= URLDownloader.maxRedirects, let url = request.url else {
            failure = "Too many redirects (more than \(URLDownloader.maxRedirects))."
            completionHandler(nil); task.cancel(); return
        }
        do { try downloader.check(url) } catch {
            failure = "Redirect refused: \(error.description)"
            completionHandler(nil); task.cancel(); return
        }
        completionHandler(request)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            failure = failure ?? "The download answered HTTP \(http.statusCode)."
            completionHandler(.cancel); return
        }
        if response.expectedContentLength > maxBytes {
            failure = "The download is larger than the limit of \(maxBytes) bytes."
            completionHandler(.cancel); return
        }
        _ = FileManager.default.createFile(atPath: destination, contents: nil)
        handle = FileHandle(forWritingAtPath: destination)
        completionHandler(handle == nil ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        received += Int64(data.count)
        if received > maxBytes {
            failure = "The download is larger than the limit of \(maxBytes) bytes."
            dataTask.cancel(); return
        }
        handle?.write(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        try? handle?.close()
        if let error, failure == nil { failure = "The download failed: \(error.localizedDescription)" }
        done.signal()
    }
}

extension EngineConfiguration {
    /// A new, unused file path in the uploads folder (created if needed).
    func newUploadPath(prefix: String = "") throws(EngineError) -> String {
        do { try FileManager.default.createDirectory(atPath: uploadsDirectory, withIntermediateDirectories: true) } catch {
            throw .sourceUnavailable("Cannot create the uploads folder.")
        }
        return (uploadsDirectory as NSString).appendingPathComponent(prefix + UUID().uuidString.lowercased())
    }
}
