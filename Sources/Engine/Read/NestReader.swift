import Definitions
import Rules
import Tabular

/// The parse thread's side of one `nest` entry: reads a parent row's array cell (raw JSON, see
/// `ReadOptions.rawJSONKeys`) into child rows and validates each with the child columns. Errors
/// name the element's path (`lines[2].qty`, 0-based), in their key and at the start of each
/// message, so the failed-rows CSV and the CLI show where they are.
///
/// Used by the parse thread alone (its processor keeps `distinct` state across the file).
final class NestReader {
    let nest: CompiledNest
    private let processor: RowProcessor
    /// The array's column in the parent's header, or nil when the file has no such key.
    private let cell: Int?
    private let limits: ReadLimits
    private let slots: UnsafeMutableBufferPointer<TypedValue>
    /// What ``CompiledNest/targets(of:)`` answered per element key (elements repeat their keys),
    /// for at most ``maxRememberedKeys`` keys.
    private var targets: [String: [(cell: Int, rank: Int)]] = [:]
    private static let maxRememberedKeys = 1024

    init(nest: CompiledNest, header: [String], run: RunFacts, limits: ReadLimits = ReadLimits()) {
        self.nest = nest
        processor = nest.importer.makeProcessor(resolution: nest.importer.resolve(header: nest.header), run: run)
        cell = header.firstIndex(of: nest.spec.path)
        self.limits = limits
        slots = .allocate(capacity: max(1, processor.columnCount))
        slots.initialize(repeating: .null)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// Values per child row (one per child column).
    var width: Int { processor.columnCount }

    private func target(of key: String) -> [(cell: Int, rank: Int)] {
        if let known = targets[key] { return known }
        let answer = nest.targets(of: key)
        if targets.count < NestReader.maxRememberedKeys { targets[key] = answer }
        return answer
    }

    /// The child rows of a parent row's `cells`: each element's values, or (appended to
    /// `errors`) why the array or an element is refused. Elements are validated even after one
    /// failed, so a row reports every bad child at once.
    func children(of cells: [String], errors: inout [(column: String, messages: [String])]) -> [[TypedValue]] {
        guard let cell, cell < cells.count else { return [] }
        let path = nest.spec.path
        let objects: [[(key: String, value: String)]]
        do {
            objects = try NestedArray.objects(in: cells[cell], limits: limits)
        } catch {
            errors.append((path, ["\(path): \(error.message)."]))
            return []
        }
        var rows: [[TypedValue]] = []
        rows.reserveCapacity(objects.count)
        guard let base = slots.baseAddress else { return [] }
        for (i, pairs) in objects.enumerated() {
            let failures = processor.process(nest.cells(of: pairs, targets: target(of:)), into: base)
            if failures.isEmpty {
                rows.append(Array(slots))
            } else {
                for (column, messages) in failures {
                    let at = "\(path)[\(i)].\(column)"
                    errors.append((at, messages.map { "\(at): \($0)" }))
                }
            }
        }
        return rows
    }
}
