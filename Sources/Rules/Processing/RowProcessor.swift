import Definitions

/// Turns source rows into target values or errors, for one run.
///
/// Not `Sendable` on purpose: it keeps per-run state (values already seen by `distinct`) and
/// reusable scratch buffers, so one thread owns it for the whole run. Processing is pure:
/// no files, no database, no clock (the run's start time stands in for "now").
package final class RowProcessor {
    /// How a column's raw text is read, with run facts already substituted.
    enum Source {
        case cell(Int)
        case constant(String)
        case pieces([Piece])
    }

    enum Piece {
        case literal(String)
        case cell(Int?)
    }

    /// Where a column stands after transforms, default and coercion. `tooLarge` and
    /// `rowTooLarge` are the size caps (`limits`); `skipped` columns come after the one that
    /// took the row past its cap and are not computed.
    /// `unmapped` columns have a `when` that does not hold for the row: no value, no rules.
    enum State: UInt8 { case empty, present, typeFailed, calendarFailed, numberFailed, tooLarge, rowTooLarge, skipped, unmapped }

    let plans: [ColumnPlan]
    /// Values per row: one per compiled column.
    package var columnCount: Int { plans.count }
    let sources: [Source]
    /// Per column, the cell index it reads, or -1 when `sources` says otherwise: plain integers
    /// so the per-cell path does not copy an enum with payloads.
    let cellIndexes: [Int]
    /// Every column's validators and transforms in one flat array each, with `start` offsets
    /// (count + 1 entries): one array reference per row instead of one per column.
    let validators: [Validator]
    let validatorStart: [Int]
    let transforms: [Transform]
    let transformStart: [Int]
    /// Per entry of `validators` and `transforms`, the condition it waits on (-1: none).
    let validatorWhen: [Int]
    let transformWhen: [Int]
    /// The `when` conditions, the cell each reads, and whether each holds for the current row.
    let conditions: [Condition]
    let conditionCells: [Int]
    let holds: UnsafeMutablePointer<Bool>
    /// Seconds since 1970 of the run start, and its day: "now" and "today" for `before`/`after`.
    let runStartKey: Int
    let runStartDay: Int
    let hasLists: Bool
    /// `limits.max_value_bytes` and `limits.max_row_bytes`.
    let maxValueBytes: Int
    let maxRowBytes: Int

    // Per-row scratch, one slot per column, owned by the processor and reused for every row.
    // Raw buffers rather than arrays: no uniqueness or exclusivity checks on the per-cell path.
    let texts: UnsafeMutablePointer<String>
    let states: UnsafeMutablePointer<State>
    let lists: UnsafeMutablePointer<[String]?>
    var seen: [Set<TypedValue>]

    /// `headerIndex` (header key → cell index, under the definition's matching) resolves the
    /// columns `concat` steps read.
    init(plans: [ColumnPlan], inputs: [ResolvedInput], run: RunFacts, distinctSlots: Int, limits: ValueLimits,
         headerIndex: [String: Int] = [:], conditions: [Condition] = [], conditionCells: [Int] = []) {
        self.plans = plans
        self.conditions = conditions
        self.conditionCells = conditionCells.count == conditions.count ? conditionCells : Array(repeating: -1, count: conditions.count)
        holds = UnsafeMutablePointer<Bool>.allocate(capacity: max(conditions.count, 1))
        holds.initialize(repeating: false, count: max(conditions.count, 1))
        self.maxValueBytes = limits.maxValueBytes
        self.maxRowBytes = limits.maxRowBytes
        self.sources = inputs.map { input in
            switch input {
            case .cell(let index): return index.map(Source.cell) ?? .constant("")
            case .constant(let scalar): return .constant(scalar.text ?? "")
            case .template(let pieces):
                var resolved: [Piece] = []
                for p in pieces {
                    switch p {
                    case .literal(let s): resolved.append(.literal(s))
                    case .runFact(let f): resolved.append(.literal(f.value(in: run)))
                    case .cell(let i): resolved.append(.cell(i))
                    }
                }
                if !resolved.contains(where: { if case .cell = $0 { return true }; return false }) {
                    return .constant(resolved.map { if case .literal(let s) = $0 { return s }; return "" }.joined())
                }
                return .pieces(resolved)
            }
        }
        cellIndexes = sources.map { if case .cell(let i) = $0 { return i }; return -1 }
        var validators: [Validator] = [], validatorStart: [Int] = [0]
        var transforms: [Transform] = [], transformStart: [Int] = [0]
        var validatorWhen: [Int] = [], transformWhen: [Int] = []
        for plan in plans {
            validators.append(contentsOf: plan.validators); validatorStart.append(validators.count)
            validatorWhen.append(contentsOf: plan.validatorWhen); transformWhen.append(contentsOf: plan.transformWhen)
            for t in plan.transforms {
                if case .concat(let keys, _, let separator) = t {
                    transforms.append(.concat(keys: keys, cells: keys.map { headerIndex[$0] ?? -1 }, separator: separator))
                } else {
                    transforms.append(t)
                }
            }
            transformStart.append(transforms.count)
        }
        self.validators = validators; self.validatorStart = validatorStart
        self.transforms = transforms; self.transformStart = transformStart
        self.validatorWhen = validatorWhen; self.transformWhen = transformWhen
        let start = DateFormat.parseISODateTime(run.startedAt)
        if case .success(let p) = start {
            runStartKey = p.orderKey
            runStartDay = (p.orderKey >= 0 ? p.orderKey : p.orderKey - 86_399) / 86_400
        } else {
            runStartKey = 0; runStartDay = 0
        }
        hasLists = plans.contains { plan in plan.transforms.contains { if case .spec(.split) = $0 { return true }; return false } }
        texts = UnsafeMutablePointer<String>.allocate(capacity: plans.count)
        texts.initialize(repeating: "", count: plans.count)
        states = UnsafeMutablePointer<State>.allocate(capacity: plans.count)
        states.initialize(repeating: .empty, count: plans.count)
        lists = UnsafeMutablePointer<[String]?>.allocate(capacity: plans.count)
        lists.initialize(repeating: nil, count: plans.count)
        seen = Array(repeating: [], count: distinctSlots)
    }

    deinit {
        texts.deinitialize(count: plans.count); texts.deallocate()
        states.deinitialize(count: plans.count); states.deallocate()
        lists.deinitialize(count: plans.count); lists.deallocate()
        holds.deinitialize(count: max(conditions.count, 1)); holds.deallocate()
    }

    /// Turns one source row into target values or errors. Cells beyond or short of the header
    /// are the engine's concern; a missing cell reads as empty.
    package func process(_ cells: [String]) -> RowOutcome {
        var values = [TypedValue](repeating: .null, count: plans.count)
        let errors = values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [(column: String, messages: [String])]() }
            return process(cells, values: base)
        }
        if errors.isEmpty && !seen.isEmpty {
            for c in 0..<plans.count {
                if let slot = plans[c].distinctSlot, states[c] == .present { seen[slot].insert(values[c]) }
            }
        }
        return RowOutcome(values: values, errors: errors)
    }

    /// Turns one source row into target values (written into `values`, one slot per column,
    /// which the caller owns and reuses from row to row) or errors, which it returns: the same
    /// as ``process(_:)`` without a new array of values per row.
    package func process(_ cells: [String], into values: UnsafeMutablePointer<TypedValue>) -> [(column: String, messages: [String])] {
        for c in 0..<plans.count { values[c] = .null }
        let errors = process(cells, values: values)
        if errors.isEmpty && !seen.isEmpty {
            for c in 0..<plans.count {
                if let slot = plans[c].distinctSlot, states[c] == .present { seen[slot].insert(values[c]) }
            }
        }
        return errors
    }

    /// Both phases over `values` (one slot per column, already `.null`); returns the errors.
    private func process(_ cells: [String], values: UnsafeMutablePointer<TypedValue>) -> [(column: String, messages: [String])] {
        if !conditions.isEmpty { judgeConditions(cells) }
        // Phase 1: every column's value, so rules may look at other columns of the row.
        var rowBytes = 0
        for c in 0..<plans.count { coerceColumn(c, cells, into: values, rowBytes: &rowBytes) }
        // Phase 2: rules, in column order then rule order.
        return validateColumns(values)
    }

    /// Phase 1 for column `c`: its transformed, typed value (or why it has none) in `values`,
    /// `texts`, `states` and `lists`; `rowBytes` counts the row against `maxRowBytes`.
    @inline(__always)
    private func coerceColumn(_ c: Int, _ cells: [String], into values: UnsafeMutablePointer<TypedValue>, rowBytes: inout Int) {
        let texts = self.texts, states = self.states, lists = self.lists
        let maxValueBytes = self.maxValueBytes
        unowned(unsafe) let plan = plans[c]
        if hasLists { lists[c] = nil }
        if rowBytes > maxRowBytes {
            states[c] = .skipped; texts[c] = ""
            return
        }
        if plan.when >= 0 && !holds[plan.when] {
            states[c] = .unmapped; texts[c] = ""
            return
        }
        var text: String
        var cell: CellValue? = nil
        switch transformed(c, cells, plan, limit: maxValueBytes) {
        case .text(let t): text = t
        case .value(let v): text = ""; cell = v
        case .failed(let state): states[c] = state; texts[c] = ""; return
        }
        rowBytes += cell.map(BoundedText.size) ?? text.utf8.count
        if rowBytes > maxRowBytes { states[c] = .rowTooLarge; texts[c] = ""; return }
        let type = plan.type
        if let value = cell {
            if case .text(let s) = value { text = s; cell = nil } else { text = value.text }
        }
        if cell == nil && (text.isEmpty || (type != .text && RowProcessor.isBlank(text))) {
            if let d = plan.defaultValue {
                values[c] = d.value; texts[c] = d.text; states[c] = .present
            } else {
                texts[c] = ""; states[c] = .empty
            }
            return
        }
        if type == .text && cell == nil {
            values[c] = .text(text); states[c] = .present
            return
        }
        let result: Result<TypedValue, Coercion.Failure>
        if let value = cell {
            if case .list(let items) = value {
                if items.isEmpty, let d = plan.defaultValue {
                    values[c] = d.value; texts[c] = d.text; states[c] = .present; return
                }
                if items.isEmpty { texts[c] = ""; states[c] = .empty; return }
                lists[c] = items
            }
            texts[c] = text
            result = plan.coercion.coerce(value)
        } else {
            let trimmed = TextOps.trim(text)
            texts[c] = trimmed
            result = plan.coercion.coerce(text: trimmed)
        }
        switch result {
        case .success(let v): values[c] = v; states[c] = .present
        case .failure(.type): states[c] = .typeFailed
        case .failure(.calendar): states[c] = .calendarFailed
        }
    }

    /// Phase 2: every column's rules over the values of phase 1; returns the errors.
    @inline(__always)
    private func validateColumns(_ values: UnsafeMutablePointer<TypedValue>) -> [(column: String, messages: [String])] {
        let count = plans.count
        let plans = self.plans
        let texts = self.texts, states = self.states, lists = self.lists
        var errors: [(column: String, messages: [String])] = []
        let validators = self.validators
        let validatorStart = self.validatorStart
        let validatorWhen = self.validatorWhen
        let holds = self.holds
        for c in 0..<count {
            let first = validatorStart[c], end = validatorStart[c + 1]
            unowned(unsafe) let plan = plans[c]
            switch states[c] {
            case .typeFailed: errors.append((plan.name, [plan.typeMessage])); continue
            case .calendarFailed: errors.append((plan.name, [plan.calendarMessage])); continue
            case .numberFailed: errors.append((plan.name, [plan.numberMessage])); continue
            case .tooLarge: errors.append((plan.name, [plan.refusals.tooLarge])); continue
            case .rowTooLarge: errors.append((plan.name, [plan.refusals.rowTooLarge])); continue
            case .skipped, .unmapped: continue
            case .empty:
                var failed = false
                var k = first
                while k < end {
                    let v = validators[k]
                    let w = validatorWhen[k]
                    k += 1
                    if w >= 0 && !holds[w] { continue }
                    if v.appliesToEmpty && !passes(v, plan, c, values, texts, lists, states) {
                        errors.append((plan.name, [message(v, plan, rowText(c, values, texts))]))
                        failed = true
                        break
                    }
                }
                // An empty key would insert again on every import (NULLs never collide).
                if !failed, let emptyKey = plan.refusals.emptyKey { errors.append((plan.name, [emptyKey])) }
            case .present:
                var messages: [String] = []
                var k = first
                while k < end {
                    let v = validators[k]
                    let w = validatorWhen[k]
                    k += 1
                    if w >= 0 && !holds[w] { continue }
                    if passes(v, plan, c, values, texts, lists, states) { continue }
                    messages.append(message(v, plan, rowText(c, values, texts)))
                    if v.bails { break }
                }
                if !messages.isEmpty { errors.append((plan.name, messages)) }
            }
        }
        return errors
    }

    /// Whether each `when` holds for this row, judged once before any column.
    private func judgeConditions(_ cells: [String]) {
        for i in 0..<conditions.count {
            let cell = conditionCells[i]
            holds[i] = conditions[i].holds(cell >= 0 && cell < cells.count ? cells[cell] : "")
        }
    }

    private func message(_ v: Validator, _ plan: ColumnPlan, _ input: String) -> String {
        let text = plan.messages[v.message]
        return v.messageUsesInput ? text.replacingAll(":input", with: input) : text
    }

    /// A template's text; empty when every referenced cell is empty (so `default` applies);
    /// nil as soon as it passes `limit` bytes, before it grows further.
    static func build(_ pieces: [Piece], _ cells: [String], limit: Int) -> String? {
        var out = ""
        var anyCell = false
        for p in pieces {
            switch p {
            case .literal(let s): out += s
            case .cell(let i):
                if let i, i < cells.count, !cells[i].isEmpty { out += cells[i]; anyCell = true }
            }
            if out.utf8.count > limit { return nil }
        }
        return anyCell ? out : ""
    }

    /// `[]` or `{}`, surrounding whitespace allowed: an empty JSON array or object.
    static func isEmptyContainer(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard utf8.count >= 2, utf8.count <= 64 else { return false }
        // The per-cell fast path: a value that starts with an ASCII byte other than a space,
        // `[` or `{` is no container (this runs for every `required` text cell).
        if let first = utf8.first, first < 0x80, !TextOps.isASCIISpace(first),
           first != UInt8(ascii: "["), first != UInt8(ascii: "{") {
            return false
        }
        let inner = s.filter { !$0.isWhitespace }
        return inner == "[]" || inner == "{}"
    }

    /// Only whitespace (or nothing): Laravel's `required` treats it as missing.
    @inline(__always)
    static func isBlank(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return true }
        if first < 0x80 && !TextOps.isASCIISpace(first) { return false }
        return s.allSatisfy(\.isWhitespace)
    }
}
