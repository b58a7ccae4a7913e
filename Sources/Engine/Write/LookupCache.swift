import Foundation
import Rules

/// A lookup column's known values → ids, keyed by the value's bytes: finding a row's id is a
/// hash of its bytes in the arena and one comparison, with no `String` made.
///
/// A key is the value's kind and its bytes (a text's UTF-8, an integer's or a real's 8 bytes),
/// so `1`, `1.0` and `"1"` stay three keys, as they are three values. Open addressing over a
/// power-of-two table; removed keys leave a tombstone until the table is rebuilt.
struct LookupCache {
    private struct Slot {
        /// 0 empty, 1 removed, else the key's kind + 2.
        var tag: UInt8 = 0
        var offset: Int32 = 0
        var count: Int32 = 0
        var hash: UInt32 = 0
        var id: Int64 = 0
    }

    private var slots = [Slot](repeating: Slot(), count: 16)
    private var keys: [UInt8] = []
    private var used = 0
    private(set) var count = 0

    /// The id of the value in `cell`, whose text bytes (if any) are in `base`.
    @inline(__always)
    func id(of cell: RowArena.Cell, base: UnsafePointer<UInt8>) -> Int64? {
        switch cell.kind {
        case .text: return find(tag: cell.kind.rawValue, UnsafeRawBufferPointer(start: base + Int(cell.payload), count: Int(cell.count)))
        case .integer, .real:
            return withUnsafeBytes(of: cell.payload) { find(tag: cell.kind.rawValue, $0) }
        case .null, .list: return nil
        }
    }

    /// The id of `value`.
    func id(of value: TypedValue) -> Int64? {
        LookupCache.withKey(value) { tag, bytes in find(tag: tag, bytes) }
    }

    mutating func set(_ value: TypedValue, id: Int64) {
        LookupCache.withKey(value) { tag, bytes in insert(tag: tag, bytes, id: id) }
    }

    mutating func remove(_ value: TypedValue) {
        LookupCache.withKey(value) { tag, bytes in
            guard let i = slot(tag: tag, bytes) else { return }
            slots[i].tag = 1
            count -= 1
        }
    }

    mutating func removeAll() {
        slots = [Slot](repeating: Slot(), count: 16)
        keys.removeAll(keepingCapacity: true)
        used = 0
        count = 0
    }

    private static func withKey<R>(_ value: TypedValue, _ body: (UInt8, UnsafeRawBufferPointer) -> R) -> R {
        switch value {
        case .null: return body(RowArena.Kind.null.rawValue, UnsafeRawBufferPointer(start: nil, count: 0))
        case .integer(let i): return withUnsafeBytes(of: i) { body(RowArena.Kind.integer.rawValue, $0) }
        case .real(let d): return withUnsafeBytes(of: Int64(bitPattern: d.bitPattern)) { body(RowArena.Kind.real.rawValue, $0) }
        case .text(var s): return s.withUTF8 { body(RowArena.Kind.text.rawValue, UnsafeRawBufferPointer($0)) }
        }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    private func find(tag: UInt8, _ bytes: UnsafeRawBufferPointer) -> Int64? {
        slot(tag: tag, bytes).map { slots[$0].id }
    }

    private func slot(tag: UInt8, _ bytes: UnsafeRawBufferPointer) -> Int? {
        let hash = LookupCache.hash(bytes)
        let mask = slots.count - 1
        var i = Int(hash) & mask
        return keys.withUnsafeBytes { stored -> Int? in
            while true {
                let s = slots[i]
                if s.tag == 0 { return nil }
                if s.tag == tag + 2, s.hash == hash, Int(s.count) == bytes.count, LookupCache.equal(stored, Int(s.offset), bytes) {
                    return i
                }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func equal(_ stored: UnsafeRawBufferPointer, _ offset: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count > 0 else { return true }
        guard let a = stored.baseAddress, let b = bytes.baseAddress else { return false }
        return memcmp(a + offset, b, bytes.count) == 0
    }

    private mutating func insert(tag: UInt8, _ bytes: UnsafeRawBufferPointer, id: Int64) {
        if let i = slot(tag: tag, bytes) { slots[i].id = id; return }
        if (used + 1) * 4 > slots.count * 3 { rebuild(capacity: max(16, count * 4)) }
        let hash = LookupCache.hash(bytes)
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while slots[i].tag > 1 { i = (i + 1) & mask }
        if slots[i].tag == 0 { used += 1 }
        slots[i] = Slot(tag: tag + 2, offset: Int32(keys.count), count: Int32(bytes.count), hash: hash, id: id)
        keys.append(contentsOf: bytes)
        count += 1
    }

    /// A table of `capacity` slots (a power of two) holding the live keys only.
    private mutating func rebuild(capacity: Int) {
        var size = 16
        while size < capacity { size *= 2 }
        let old = slots, oldKeys = keys
        slots = [Slot](repeating: Slot(), count: size)
        keys = []
        used = 0
        count = 0
        oldKeys.withUnsafeBytes { stored in
            for s in old where s.tag > 1 {
                insert(tag: s.tag - 2, UnsafeRawBufferPointer(rebasing: stored[Int(s.offset)..<Int(s.offset) + Int(s.count)]), id: s.id)
            }
        }
    }
}
