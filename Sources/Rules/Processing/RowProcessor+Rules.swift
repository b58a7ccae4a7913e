import Definitions

extension RowProcessor {
    /// Whether column `c` of the current row passes `v`.
    func passes(_ v: Validator, _ plan: ColumnPlan, _ c: Int, _ values: UnsafeMutablePointer<TypedValue>, _ texts: UnsafeMutablePointer<String>, _ lists: UnsafeMutablePointer<[String]?>, _ states: UnsafeMutablePointer<State>) -> Bool {
        var present: Bool {
            guard states[c] == .present else { return false }
            if plan.type == .text && RowProcessor.isBlank(rowText(c, values, texts)) { return false }
            // An empty JSON array or object (what JSON sources give for `[]` and `{}`) is
            // missing for Laravel's `required`, as an empty PHP array is.
            if plan.type == .text || plan.type == .json { return !RowProcessor.isEmptyContainer(rowText(c, values, texts)) }
            return true
        }
        switch v.check {
        case .required:
            return present
        case .requiredIf(let other, let list, let booleans):
            if present { return true }
            guard states[other] == .present else { return true }
            if booleans != 0, case .integer(let i) = values[other] { return booleans & (i != 0 ? 2 : 1) == 0 }
            let expected = plan.stringLists[list]
            return !(expected.contains(rowText(other, values, texts)) || expected.contains(values[other].textValue ?? ""))
        case .requiredWith(let list):
            return present || !plan.columnLists[list].contains { states[$0] == .present }
        case .requiredWithout(let list):
            return present || plan.columnLists[list].allSatisfy { states[$0] == .present }
        case .distinct:
            guard let slot = plan.distinctSlot else { return true }
            return !seen[slot].contains(values[c])
        case .min(let n): return size(c, values, texts, lists) >= n
        case .max(let n): return size(c, values, texts, lists) <= n
        case .size(let n): return size(c, values, texts, lists) == n
        case .between(let a, let b):
            let s = size(c, values, texts, lists)
            return s >= a && s <= b
        case .before(let bound):
            guard let value = orderKey(c, values, texts), let limit = boundKey(bound, values, texts, states) else { return false }
            return value < limit
        case .after(let bound):
            guard let value = orderKey(c, values, texts), let limit = boundKey(bound, values, texts, states) else { return false }
            return value > limit
        default:
            if v.isItemwise, hasLists, let items = lists[c] {
                return items.allSatisfy { passesText(v, plan, $0, .text($0)) }
            }
            return passesText(v, plan, rowText(c, values, texts), values[c])
        }
    }

    /// The text rules see for column `c`: text columns keep it only in `values` (one string
    /// reference per cell instead of two); other columns keep their trimmed text in `texts`.
    @inline(__always)
    func rowText(_ c: Int, _ values: UnsafeMutablePointer<TypedValue>, _ texts: UnsafeMutablePointer<String>) -> String {
        if case .text(let s) = values[c], plans[c].type == .text { return s }
        return texts[c]
    }

    /// Rules that look at one value's text (or its typed form for type rules).
    func passesText(_ v: Validator, _ plan: ColumnPlan, _ text: String, _ value: TypedValue) -> Bool {
        switch v.check {
        case .string: return true
        case .integer:
            return plan.type == .integer || NumberText.parseInteger(text, separators: plan.separators) != nil
        case .numeric:
            return plan.type == .integer || plan.type == .decimal || NumberText.parseDecimal(text, separators: plan.separators) != nil
        case .boolean:
            return plan.type == .boolean || plan.coercion.parseBoolean(text) != nil
        case .date:
            if plan.type == .date || plan.type == .datetime { return true }
            if case .success = plan.dateRuleCoercion.parseDate(text) { return true }
            return false
        case .dateFormat(let index):
            if case .success = plan.dateFormats[index].parse(text) { return true }
            return false
        case .email: return FormatCheck.isEmail(text)
        case .url: return FormatCheck.isURL(text)
        case .uuid: return FormatCheck.isUUID(text)
        case .ip: return FormatCheck.isIP(text)
        case .alpha: return FormatCheck.isLetters(text, .alpha)
        case .alphaNum: return FormatCheck.isLetters(text, .alphaNum)
        case .alphaDash: return FormatCheck.isLetters(text, .alphaDash)
        case .ascii: return FormatCheck.isASCII(text)
        case .digits(let n): return FormatCheck.digitCount(text) == n
        case .digitsBetween(let a, let b):
            guard let n = FormatCheck.digitCount(text) else { return false }
            return n >= a && n <= b
        case .inList(let list): return plan.stringLists[list].contains(comparable(plan, text, value))
        case .notIn(let list): return !plan.stringLists[list].contains(comparable(plan, text, value))
        case .regex(let index): return plan.patterns[index].matches(text)
        case .notRegex(let index): return !plan.patterns[index].matches(text)
        case .startsWith(let list): return plan.stringLists[list].contains { text.hasPrefix($0) }
        case .endsWith(let list): return plan.stringLists[list].contains { text.hasSuffix($0) }
        default: return true
        }
    }

    /// What `in`/`not_in` compare: the text for text columns, the canonical typed text otherwise
    /// (so `in:1,2` on an integer column accepts "01").
    private func comparable(_ plan: ColumnPlan, _ text: String, _ value: TypedValue) -> String {
        plan.type == .text ? text : (value.textValue ?? text)
    }

    /// The measure for `min`/`max`/`between`/`size`: value, characters or items.
    private func size(_ c: Int, _ values: UnsafeMutablePointer<TypedValue>, _ texts: UnsafeMutablePointer<String>, _ lists: UnsafeMutablePointer<[String]?>) -> Double {
        switch plans[c].sizeKind {
        case .array:
            return Double(hasLists ? lists[c]?.count ?? 0 : 0)
        case .numeric:
            switch values[c] {
            case .integer(let i): return Double(i)
            case .real(let d): return d
            default:
                if let d = NumberText.parseDecimal(rowText(c, values, texts), separators: plans[c].separators) { return d }
                return Double(FormatCheck.length(rowText(c, values, texts)))
            }
        case .string:
            return Double(FormatCheck.length(rowText(c, values, texts)))
        }
    }

    /// A column's value as an instant, for `before`/`after`.
    private func orderKey(_ c: Int, _ values: UnsafeMutablePointer<TypedValue>, _ texts: UnsafeMutablePointer<String>) -> Int? {
        let plan = plans[c]
        let text = (plan.type == .date || plan.type == .datetime) ? (values[c].textValue ?? "") : rowText(c, values, texts)
        if case .success(let p) = DateFormat.parseISODateTime(text) { return p.orderKey }
        if case .success(let p) = plan.coercion.parseDate(text) { return p.orderKey }
        return nil
    }

    private func boundKey(_ bound: Validator.DateBound, _ values: UnsafeMutablePointer<TypedValue>, _ texts: UnsafeMutablePointer<String>, _ states: UnsafeMutablePointer<State>) -> Int? {
        switch bound {
        case .fixed(let key): return key
        case .relative(let days, let now): return now ? runStartKey : (runStartDay + days) * 86_400
        case .column(let other):
            guard states[other] == .present else { return nil }
            return orderKey(other, values, texts)
        }
    }
}
