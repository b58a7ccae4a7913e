#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a response body goes, as it arrives.
package protocol BodySink: AnyObject {
    /// Takes the next bytes; throws to abort the transfer.
    func write(_ bytes: UnsafeRawBufferPointer) throws(OutboundError)
}

/// Streams a body into a new file (created exclusively, mode 0600), closed on `close()` or deinit.
package final class FileSink: BodySink {
    package let path: String
    private var descriptor: Int32

    /// Creates `path`; fails if it exists.
    package init(creating path: String) throws(OutboundError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close() }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(OutboundError) {
        guard let base = bytes.baseAddress, descriptor >= 0 else { return }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(String(cString: strerror(errno)))
            }
            done += n
        }
    }

    package func close() {
        if descriptor >= 0 { _ = systemClose(descriptor) }
        descriptor = -1
    }
}

// File-scope wrappers: inside FileSink, `write`/`close` resolve to its own methods.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
