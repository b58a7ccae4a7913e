import Tabular
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens files beneath the data root and nowhere else, whatever the path, its symlinks or a race.
///
/// The path is walked one component at a time from a descriptor of the real root: each directory
/// is opened with `openat(…, O_NOFOLLOW)` relative to the one before, so nothing is ever looked
/// up by a path string that a rename or a new symlink could redirect. A symlink met on the way is
/// read (`readlinkat`) and resolved beneath the root: a relative target continues from the
/// directory that holds the link, `..` steps back along the directories already opened (never
/// above the root), an absolute target must lie under the real root. A link that leads out is
/// refused; so is anything but a regular file at the end. The caller reads the returned open
/// file, not a path: what was checked is what is read.
struct DataRoot {
    /// The data root with its own symlinks resolved (the operator's choice; not checked further).
    let realPath: String
    /// Symlinks followed in one walk before giving up (as the kernel's `ELOOP` limit).
    static let maxSymlinks = 40

    struct File {
        let opened: OpenedFile
        /// The canonical path below the root, symlinks resolved (`feeds/items.csv`).
        let relative: String
        /// The real root joined with `relative`.
        let path: String
        var name: String { relative.split(separator: "/").last.map(String.init) ?? relative }
    }

    init(_ configured: String) throws(EngineError) {
        guard let real = realpath(configured, nil) else {
            throw .sourceUnavailable("The data root '\(configured)' cannot be opened: \(Self.errnoText()).")
        }
        defer { free(real) }
        realPath = String(cString: real)
    }

    /// `path` relative to the real root if it lies beneath it (`/data/feeds/a.csv` → `feeds/a.csv`).
    func relative(_ path: String) -> String? {
        if realPath == "/" { return path.hasPrefix("/") ? String(path.dropFirst()) : nil }
        guard path.hasPrefix(realPath + "/") else { return nil }
        return String(path.dropFirst(realPath.count + 1))
    }

    /// Opens the regular file `relative` beneath the root; `shown` names it in errors.
    func open(_ relative: String, shown: String) throws(EngineError) -> File {
        let root = openDirectory(realPath)
        guard root >= 0 else { throw .sourceUnavailable("The data root cannot be opened: \(Self.errnoText()).") }
        let walk = DirectoryWalk(root: root)
        var pending = Array(Self.components(relative).reversed())
        var links = 0
        while let name = pending.popLast() {
            if name == ".." {
                guard walk.up() else { throw .sourceUnavailable("source.path '\(shown)' leads outside the data root.") }
                continue
            }
            if let target = try readLink(walk.current, name, shown: shown) {
                links += 1
                guard links <= Self.maxSymlinks else {
                    throw .sourceUnavailable("source.path '\(shown)' has too many levels of symbolic links.")
                }
                pending.append(contentsOf: try expand(target, walk: walk, shown: shown).reversed())
                continue
            }
            if pending.isEmpty {
                if let file = try openFile(name, in: walk, shown: shown) { return file }
            } else if try walk.enter(name, shown: shown) {
                continue
            }
            // The entry became a symlink between readlinkat and openat: read it again (bounded).
            pending.append(name)
            links += 1
            guard links <= Self.maxSymlinks else { throw .sourceUnavailable("source.path '\(shown)' keeps changing; try again.") }
        }
        throw .sourceUnavailable("source.path '\(shown)' is not a regular file.")
    }

    /// The components a symlink target contributes; an absolute target restarts at the root.
    private func expand(_ target: String, walk: DirectoryWalk, shown: String) throws(EngineError) -> [String] {
        guard target.hasPrefix("/") else { return Self.components(target) }
        guard let inside = target == realPath ? "" : relative(target) else {
            throw .sourceUnavailable("source.path '\(shown)' leads outside the data root.")
        }
        walk.toRoot()
        return Self.components(inside)
    }

    /// The final component: a regular file opened without following a symlink. Nil when it turned
    /// into a symlink after it was checked (the caller reads the link again).
    private func openFile(_ name: String, in walk: DirectoryWalk, shown: String) throws(EngineError) -> File? {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
        let fd = openat(walk.current, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP { return nil }
            throw Self.openError(errno, shown: shown)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            _ = close(fd)
            throw .sourceUnavailable("source.path '\(shown)' is not a regular file.")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let relative = (walk.names + [name]).joined(separator: "/")
        let path = realPath == "/" ? "/" + relative : realPath + "/" + relative
        return File(opened: OpenedFile(adopting: fd, path: path), relative: relative, path: path)
    }

    /// The target of `name` in `directory` if it is a symlink; nil if it is something else.
    private func readLink(_ directory: Int32, _ name: String, shown: String) throws(EngineError) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(directory, name, &buffer, buffer.count - 1)
        if count >= 0 {
            guard count < buffer.count - 1 else { throw .sourceUnavailable("source.path '\(shown)' has a symbolic link that is too long.") }
            return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        if errno == EINVAL { return nil }  // not a symlink
        throw Self.openError(errno, shown: shown)
    }

    static func openError(_ code: Int32, shown: String) -> EngineError {
        switch code {
        case ENOENT: return .sourceUnavailable("The source file '\(shown)' does not exist under the data root.")
        case ENOTDIR: return .sourceUnavailable("source.path '\(shown)' is not a regular file.")
        default: return .sourceUnavailable("The source file '\(shown)' cannot be opened: \(String(cString: strerror(code))).")
        }
    }

    /// Path components without empty ones and `.`.
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// File scope: inside DataRoot, `open` is its own method.
private func openDirectory(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
}

/// The directories opened so far on a walk down from the root, each through the one before.
/// Owns their descriptors (and the root's).
private final class DirectoryWalk {
    private let root: Int32
    private var opened: [(fd: Int32, name: String)] = []

    init(root: Int32) { self.root = root }

    deinit {
        toRoot()
        _ = close(root)
    }

    var current: Int32 { opened.last?.fd ?? root }
    var names: [String] { opened.map(\.name) }

    /// Opens the subdirectory `name` of the current one without following a symlink. False when
    /// `name` is a symlink (it became one after it was checked).
    func enter(_ name: String, shown: String) throws(EngineError) -> Bool {
        let fd = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            var info = stat()
            if (code == ELOOP || code == ENOTDIR) && fstatat(current, name, &info, AT_SYMLINK_NOFOLLOW) == 0
                && (info.st_mode & S_IFMT) == S_IFLNK {
                return false
            }
            throw DataRoot.openError(code, shown: shown)
        }
        opened.append((fd, name))
        return true
    }

    /// Back to the parent directory; false at the root (a `..` there would leave it).
    func up() -> Bool {
        guard let last = opened.popLast() else { return false }
        _ = close(last.fd)
        return true
    }

    func toRoot() {
        while up() {}
    }
}
