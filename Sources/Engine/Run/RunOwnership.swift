import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who may execute a run, and whether the owner of a `processing` run is provably gone.
///
/// The seam between one machine and several: on one machine the kernel proves an owner alive
/// (``LocalRunOwnership``); nodes sharing one PostgreSQL database hold a lease renewed by a
/// heartbeat (``LeaseRunOwnership``).
protocol RunOwnership: Sendable {
    /// This process, as recorded on the runs it claims.
    var owner: RunOwner { get }
    /// Takes exclusive ownership of run `id` before it is claimed; nil when someone else holds
    /// it. Throws when ownership cannot be decided (the lock folder cannot be written).
    func acquire(_ id: Int64) throws(EngineError) -> RunClaim?
    /// Whether the owner of the processing `run` is provably gone (its run may be ended).
    /// When true, the caller holds the run's claim until it releases the returned value.
    func abandonedClaim(of run: IngestRun, store: RunStore) throws(EngineError) -> RunClaim?
}

/// Ownership of one run, held until ``release()`` (or until the process exits, however it exits).
class RunClaim: @unchecked Sendable {
    /// Reserves what giving the run up needs later (a full disk must not stop it).
    func reserve() {}
    /// Gives the run up without ending it (its final status could not be written): recovery
    /// ends it, with `reason` where the claim can keep one.
    func abandon(reason: String) {}
    /// What an owner that gave up left for recovery, if anything.
    func abandonedReason() -> String? { nil }
    /// Gives the run up.
    func release() {}
    /// `action` is called (on another thread) when the run must stop at once: the claim was
    /// lost to another node, or a cancel was requested there. Local claims never call it.
    func whenStopRequested(_ action: @escaping @Sendable () -> Void) {}
}

/// A run owned through a locked file (``LocalRunOwnership``).
final class FileRunClaim: RunClaim, @unchecked Sendable {
    // `@unchecked`: `fd` is written once by `release`, which the owning thread calls.
    private var fd: Int32
    private let path: String

    /// Bytes reserved in the lock file for a reason left by an owner that gave up: 4,096.
    static let reasonCapacity = 4096

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Reserves the reason's bytes (zeros) while the disk still has room.
    override func reserve() {
        let zeros = [UInt8](repeating: 0, count: FileRunClaim.reasonCapacity)
        _ = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Gives the run up without ending it (its final status could not be written): `reason` is
    /// left in the lock file for recovery, which ends the run with it.
    override func abandon(reason: String) {
        guard fd >= 0 else { return }
        // Written over the bytes reserved at acquire, so it needs no new space on a full disk.
        let bytes = Array(reason.utf8.prefix(FileRunClaim.reasonCapacity))
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        if written == bytes.count { _ = ftruncate(fd, off_t(bytes.count)) }
        close(fd)
        fd = -1
    }

    /// What an owner that gave up left in the lock file, if anything.
    override func abandonedReason() -> String? {
        guard fd >= 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: FileRunClaim.reasonCapacity)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = buffer.prefix(n).prefix { $0 != 0 }
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }

    /// Gives the run up: the lock file is removed, then the lock released.
    override func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

/// Ownership proved by the kernel: the owner holds an exclusive `flock` on `<database>-runs/<id>.lock`
/// for the run's lifetime. The kernel drops the lock on any exit, `kill -9` included, so a lock
/// that can be taken means the owner is gone; a pid alone could have been reused.
final class LocalRunOwnership: RunOwnership {
    let owner: RunOwner
    let directory: String

    /// - Parameter databasePath: the database file; its real path names the lock folder, so the
    ///   same database reached through a symlink or another relative path shares one folder.
    init(databasePath: String) {
        directory = LocalRunOwnership.realPath(databasePath) + "-runs"
        owner = RunOwner(host: LocalRunOwnership.hostName, pid: Int64(getpid()), startedAt: LocalRunOwnership.processStart)
    }

    func acquire(_ id: Int64) throws(EngineError) -> RunClaim? {
        let claim = try lock(id)
        claim?.reserve()
        return claim
    }

    func abandonedClaim(of run: IngestRun, store: RunStore) throws(EngineError) -> RunClaim? {
        // Another machine's run: a local lock proves nothing about it (a lease would).
        if let o = run.owner, o.host != owner.host { return nil }
        return try lock(run.id)
    }

    /// Locks `<id>.lock`; nil when another open file description holds it. The lock is taken on
    /// the file that is at the path *after* locking: an owner that finished removes its file
    /// before releasing the lock, so a lock won on a file no longer at the path is retried.
    private func lock(_ id: Int64) throws(EngineError) -> RunClaim? {
        let path = directory + "/\(id).lock"
        for _ in 0..<8 {
            var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd < 0 && errno == ENOENT {
                mkdir(directory, 0o700)
                fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            }
            guard fd >= 0 else {
                throw .database(.init(extendedCode: 14 /* SQLITE_CANTOPEN */,
                                      message: "cannot open the run lock \(path): \(String(cString: strerror(errno)))"))
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                close(fd)
                if code == EWOULDBLOCK { return nil }
                throw .database(.init(extendedCode: 14, message: "cannot lock \(path): \(String(cString: strerror(code)))"))
            }
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0, opened.st_dev == current.st_dev, opened.st_ino == current.st_ino {
                return FileRunClaim(fd: fd, path: path)
            }
            close(fd)  // the file was removed (and perhaps replaced) while we locked it: try again
        }
        return nil
    }

    /// The real path of `path`, or of its folder when it does not exist yet.
    static func realPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let folder = (path as NSString).deletingLastPathComponent
        guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + (path as NSString).lastPathComponent
    }

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// When this process started (read once, at first use).
    static let processStart: String = Timestamp.now()
}
