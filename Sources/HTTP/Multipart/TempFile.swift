import Foundation
import Glibc

/// A new file opened for writing with `O_EXCL` and mode 0600, so an upload can neither
/// overwrite an existing file nor be read by other users.
final class TempFile {
    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    static func create(in directory: String) throws(MultipartError) -> TempFile {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let path = base + "upload-" + UUID().uuidString.lowercased()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .fileSystem(operation: "open", errno: errno) }
        return TempFile(path: path, descriptor: descriptor)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(MultipartError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(operation: "write", errno: errno)
            }
            offset += written
        }
    }

    func close() throws(MultipartError) {
        guard descriptor >= 0 else { return }
        let result = Glibc.close(descriptor)
        descriptor = -1
        if result != 0 { throw .fileSystem(operation: "close", errno: errno) }
    }
}
