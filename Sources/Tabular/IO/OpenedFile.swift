#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file that is already open for reading. Readers built from it read this very file
/// (through duplicates of its descriptor), whatever happens to its path afterwards: a file that
/// was checked when opened is the file that is read.
package final class OpenedFile: Sendable {
    /// The descriptor, owned: closed when this object goes away.
    package let descriptor: Int32
    /// A name for messages; never opened again.
    package let path: String

    /// Takes ownership of `descriptor`, which must be open for reading.
    package init(adopting descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { _ = close(descriptor) }

    /// A new descriptor for the same open file (close-on-exec). Positioned reads (`pread`) on it
    /// do not disturb other readers of this file.
    func duplicate() throws(TabularError) -> Int32 {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw TabularError(.io, "cannot read file: \(String(cString: strerror(errno)))") }
        return copy
    }
}
