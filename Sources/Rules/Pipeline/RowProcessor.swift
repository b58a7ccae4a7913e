import Definitions

/// Turns source rows into target values or errors, for one run.
///
/// Not `Sendable` on purpose: it keeps per-run state (values already seen by `distinct`) and
/// reusable scratch buffers, so one thread owns it for the whole run. Processing is pure:
/// no files, no database, no clock (the run's start time stands in for "now").
public final class RowProcessor {
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

    /// Where a column stands after transforms, default and coercion.
    enum State: UInt8 { case empty, present, typeFailed, calendarFailed, numberFailed }

    let plans: [ColumnPlan]
    let sources: [Source]
    /// Seconds since 1970 of the run start, and its day: "now" and "today" for `before`/`after`.
    let runStartKey: Int
    let runStartDay: Int
    let hasLists: Bool

    // Scratch, swapped out while a row is processed (one exclusivity check per row, not per cell).
    var texts: [String]
    var states: [State]
    var lists: [[String]?]
    var seen: [Set<TypedValue>]

    init(plans: [ColumnPlan], inputs: [ResolvedInput], run: RunFacts, distinctSlots: Int) {
        self.plans = plans
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
        let start = DateFormat.parseISODateTime(run.startedAt)
        if case .success(let p) = start {
            runStartKey = p.orderKey
            runStartDay = (p.orderKey >= 0 ? p.orderKey : p.orderKey - 86_399) / 86_400
        } else {
            runStartKey = 0; runStartDay = 0
        }
        hasLists = plans.contains { plan in plan.transforms.contains { if case .split = $0 { return true }; return false } }
        texts = Array(repeating: "", count: plans.count)
        states = Array(repeating: .empty, count: plans.count)
        lists = Array(repeating: nil, count: plans.count)
        seen = Array(repeating: [], count: distinctSlots)
    }

    /// Turns one source row into target values or errors. Cells beyond or short of the header
    /// are the engine's concern; a missing cell reads as empty.
    public func process(_ cells: [String]) -> RowOutcome {
        let count = plans.count
        var values = [TypedValue](repeating: .null, count: count)
        var texts: [String] = []
        var states: [State] = []
        var lists: [[String]?] = []
        swap(&texts, &self.texts)
        swap(&states, &self.states)
        if hasLists { swap(&lists, &self.lists) }
        defer {
            swap(&texts, &self.texts)
            swap(&states, &self.states)
            if hasLists { swap(&lists, &self.lists) }
        }

        // Phase 1: every column's value, so rules may look at other columns of the row.
        let plans = self.plans
        let sources = self.sources
        let hasLists = self.hasLists
        for c in 0..<count {
            unowned(unsafe) let plan = plans[c]
            var text: String
            switch sources[c] {
            case .cell(let i): text = i < cells.count ? cells[i] : ""
            case .constant(let s): text = s
            case .pieces(let pieces): text = RowProcessor.build(pieces, cells)
            }
            // Fast path: text-to-text transforms on a plain String.
            var cell: CellValue? = nil
            var failed = false
            let transforms = plan.transforms
            var k = 0
            while k < transforms.count {
                guard let out = transforms[k].applyText(text) else { break }
                text = out
                k += 1
            }
            if k < transforms.count {
                var value = CellValue.text(text)
                while k < transforms.count {
                    switch transforms[k].apply(value, separators: plan.separators) {
                    case .success(let v): value = v
                    case .failure: failed = true
                    }
                    if failed { break }
                    k += 1
                }
                cell = value
            }
            if hasLists { lists[c] = nil }
            if failed { states[c] = .numberFailed; continue }
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
                continue
            }
            if type == .text && cell == nil {
                values[c] = .text(text); states[c] = .present
                continue
            }
            let result: Result<TypedValue, Coercion.Failure>
            if let value = cell {
                if case .list(let items) = value {
                    if items.isEmpty, let d = plan.defaultValue {
                        values[c] = d.value; texts[c] = d.text; states[c] = .present; continue
                    }
                    if items.isEmpty { texts[c] = ""; states[c] = .empty; continue }
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

        // Phase 2: rules, in column order then rule order.
        var errors: [(column: String, messages: [String])] = []
        for c in 0..<count {
            unowned(unsafe) let plan = plans[c]
            switch states[c] {
            case .typeFailed: errors.append((plan.name, [plan.typeMessage])); continue
            case .calendarFailed: errors.append((plan.name, [plan.calendarMessage])); continue
            case .numberFailed: errors.append((plan.name, [plan.numberMessage])); continue
            case .empty:
                for v in plan.validators where v.appliesToEmpty {
                    if !passes(v, plan, c, values, texts, lists, states) {
                        errors.append((plan.name, [message(v, plan, rowText(c, values, texts))])); break
                    }
                }
            case .present:
                var messages: [String] = []
                for v in plan.validators where !passes(v, plan, c, values, texts, lists, states) {
                    messages.append(message(v, plan, rowText(c, values, texts)))
                    if v.bails { break }
                }
                if !messages.isEmpty { errors.append((plan.name, messages)) }
            }
        }
        if errors.isEmpty && !seen.isEmpty {
            for c in 0..<count {
                if let slot = plans[c].distinctSlot, states[c] == .present { seen[slot].insert(values[c]) }
            }
        }
        return RowOutcome(values: values, errors: errors)
    }

    private func message(_ v: Validator, _ plan: ColumnPlan, _ input: String) -> String {
        let text = plan.messages[v.message]
        return v.messageUsesInput ? text.replacingAll(":input", with: input) : text
    }

    /// A template's text; empty when every referenced cell is empty (so `default` applies).
    static func build(_ pieces: [Piece], _ cells: [String]) -> String {
        var out = ""
        var anyCell = false
        for p in pieces {
            switch p {
            case .literal(let s): out += s
            case .cell(let i):
                if let i, i < cells.count, !cells[i].isEmpty { out += cells[i]; anyCell = true }
            }
        }
        return anyCell ? out : ""
    }

    /// Only whitespace (or nothing): Laravel's `required` treats it as missing.
    @inline(__always)
    static func isBlank(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return true }
        if first < 0x80 && !TextOps.isASCIISpace(first) { return false }
        return s.allSatisfy(\.isWhitespace)
    }
}
