/// Which columns hold only distinct values, exactly, within a memory budget.
///
/// Each column keeps the set of its values (trimmed) until it sees an empty or a repeated value,
/// then frees it. When the sets together would pass the budget, the column whose set is largest
/// stops being checked (its set is freed) until the rest fits: `checkedRows(i)` then says on how
/// many rows that column was distinct.
struct DistinctTracker {
    private var sets: [Set<String>?]
    private var failed: [Bool]
    private var bytes: [Int]
    private var stoppedAt: [Int?]
    private var total = 0
    let budgetBytes: Int

    init(columns: Int, budgetBytes: Int) {
        sets = Array(repeating: Set<String>(), count: columns)
        failed = Array(repeating: false, count: columns)
        bytes = Array(repeating: 0, count: columns)
        stoppedAt = Array(repeating: nil, count: columns)
        self.budgetBytes = budgetBytes
    }

    /// Estimated bytes a value takes in a set: its slot in the hash table (at most half full
    /// after growth), and the heap copy of a string too long to be stored inline (more than
    /// 15 UTF-8 bytes).
    static func cost(_ s: String) -> Int {
        let n = s.utf8.count
        return 32 + (n > 15 ? (n + 32 + 15) & ~15 : 0)
    }

    mutating func add(_ cells: [String], row: Int) {
        var values: [(Int, String, Int)] = []
        var rowCost = 0
        for i in cells.indices where !failed[i] && stoppedAt[i] == nil {
            let value = Self.trimmed(cells[i])
            if value.isEmpty || sets[i]?.contains(value) == true {
                failed[i] = true
                total -= bytes[i]
                bytes[i] = 0
                sets[i] = nil
                continue
            }
            let c = Self.cost(value)
            rowCost += c
            values.append((i, value, c))
        }
        while total + rowCost > budgetBytes, let (k, _) = values.indices.map({ ($0, bytes[values[$0].0] + values[$0].2) }).max(by: { $0.1 < $1.1 }) {
            let i = values[k].0
            stoppedAt[i] = row - 1
            total -= bytes[i]
            rowCost -= values[k].2
            bytes[i] = 0
            sets[i] = nil
            values.remove(at: k)
        }
        for (i, value, c) in values {
            sets[i]!.insert(value)
            bytes[i] += c
            total += c
        }
    }

    /// Whether column `i` had only distinct, non-empty values (over `checkedRows(i)` rows when
    /// the budget stopped its check).
    func isDistinct(_ i: Int) -> Bool { !failed[i] }

    /// The rows over which column `i` was checked, when the budget stopped it early.
    func checkedRows(_ i: Int) -> Int? { failed[i] ? nil : stoppedAt[i] }

    private static func trimmed(_ s: String) -> String {
        guard let f = s.utf8.first, let l = s.utf8.last else { return s }
        // ASCII other than spaces at both ends: nothing to trim (the common case).
        if f < 0x80, l < 0x80, !(f == 32 || (f >= 9 && f <= 13)), !(l == 32 || (l >= 9 && l <= 13)) { return s }
        guard let fs = s.unicodeScalars.first, let ls = s.unicodeScalars.last,
              fs.properties.isWhitespace || ls.properties.isWhitespace else { return s }
        return String(Substring(s).drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
