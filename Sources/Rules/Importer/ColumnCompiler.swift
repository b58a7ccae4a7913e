import Definitions

/// Compiles each `ColumnSpec` into a `ColumnPlan` and a `CompiledColumn`, collecting every
/// problem instead of stopping at the first, so `ingest check` can list them all at once.
struct ColumnCompiler {
    let definition: ImporterDefinition
    let matcher: HeaderMatcher
    /// Target column name → index, for rules that name another column.
    let columnIndex: [String: Int]
    /// `from` header key → column index, so rules may also name a source header.
    let headerIndex: [String: Int]
    var problems: [CompileError.Problem] = []
    var distinctCount = 0
    /// Every distinct `when` of the definition; plans refer to them by index.
    var conditions: [Condition] = []
    private var conditionSpecs: [WhenSpec] = []

    init(definition: ImporterDefinition) {
        self.definition = definition
        self.matcher = HeaderMatcher(match: definition.headers.match)
        var columns: [String: Int] = [:]
        var headers: [String: Int] = [:]
        for (i, c) in definition.columns.enumerated() {
            if columns[c.name] == nil { columns[c.name] = i }
            if case .from(let names) = c.input {
                for n in names where headers[matcher.key(n)] == nil { headers[matcher.key(n)] = i }
            }
        }
        self.columnIndex = columns
        self.headerIndex = headers
    }

    mutating func problem(_ pointer: String, _ message: String) {
        problems.append(CompileError.Problem(pointer: pointer, message: message))
    }

    /// The column a rule argument names (target name first, then a source header), or nil.
    func column(named name: String) -> Int? {
        columnIndex[name] ?? headerIndex[matcher.key(name)]
    }

    /// The index of `when` in `conditions` (compiled on first use), or -1 for none.
    mutating func condition(_ when: WhenSpec?) -> Int {
        guard let when else { return -1 }
        var bare = when
        bare.pointer = ""
        if let i = conditionSpecs.firstIndex(of: bare) { return i }
        switch Condition.compile(when, matcher: matcher) {
        case .success(let c):
            conditions.append(c); conditionSpecs.append(bare)
            return conditions.count - 1
        case .failure(let e):
            problem(when.pointer + "/matches", e.message)
            return -1
        }
    }

    /// Compiles one column: its input, transforms, type, rules, messages and default.
    mutating func compile(_ spec: ColumnSpec) -> (ColumnPlan, CompiledColumn) {
        let attribute = MessageCatalog.attribute(of: spec)
        let separators = compileSeparators(spec)
        let input = compileInput(spec)
        let when = condition(spec.when)
        if spec.when != nil && definition.target.key.contains(spec.name) {
            problem(spec.pointer + "/when", "a key column cannot be conditional: every row needs its key")
        }
        let (transforms, isList, transformWhen) = compileTransforms(spec)
        let (coercion, formats) = compileCoercion(spec, separators: separators)
        let sizeKind = Self.sizeKind(spec, isList: isList)
        var rules = compileRules(spec, attribute: attribute, formats: formats, separators: separators, sizeKind: sizeKind)
        let distinctSlot = addDistinct(spec, attribute: attribute, sizeKind: sizeKind, to: &rules)
        let messages = Self.typeMessages(spec, attribute: attribute, sizeKind: sizeKind)
        let plan = ColumnPlan(
            name: spec.name, input: input, transforms: transforms, separators: separators, coercion: coercion,
            defaultValue: compileDefault(spec, coercion: coercion), validators: rules.validators, tables: rules.tables,
            typeMessage: messages.type, calendarMessage: messages.calendar, numberMessage: messages.number, sizeKind: sizeKind,
            distinctSlot: distinctSlot, refusals: refusals(for: spec, attribute: attribute),
            when: when, transformWhen: transformWhen, validatorWhen: rules.validatorWhen)
        let sqlType = spec.sqlType ?? (spec.lookup != nil ? "INTEGER" : CompiledColumn.sqlType(for: spec.type))
        let compiled = CompiledColumn(
            name: spec.name, type: spec.type, sqlType: sqlType, isKey: definition.target.key.contains(spec.name),
            lookup: spec.lookup, unique: rules.unique, exists: rules.exists, nullable: spec.nullable || !rules.required || spec.when != nil,
            ordering: ValueOrdering(type: spec.type, coercion: coercion), relateMany: spec.relateMany)
        if spec.relateMany != nil { checkRelateMany(spec) }
        return (plan, compiled)
    }

    /// A `relate_many` column lists values in text: not a key, `newer_by`, typed or unique.
    private mutating func checkRelateMany(_ spec: ColumnSpec) {
        if definition.target.key.contains(spec.name) {
            problem(spec.pointer + "/relate_many", "a relate_many column is not stored in the target table, so it cannot be part of target.key")
        }
        if definition.target.newerBy == spec.name {
            problem(spec.pointer + "/relate_many", "a relate_many column is not stored in the target table, so it cannot be target.newer_by")
        }
        if spec.type != .text {
            problem(spec.pointer + "/type", "a relate_many column holds a list of values as text; remove 'type' (got '\(spec.type.rawValue)')")
        }
        if spec.uniqueInFile || spec.rules.contains(where: { ["unique", "exists", "distinct"].contains($0.name) }) {
            problem(spec.pointer + "/rules", "unique, exists and distinct do not apply to a relate_many list; the related table decides which values exist")
        }
        if definition.target.withoutRowID {
            problem(spec.pointer + "/relate_many", "a relate_many pivot stores the parent row's rowid, which a target.without_rowid table does not have")
        }
    }

    /// Decimal and thousands separators; a thousands separator of "." implies a decimal comma
    /// unless one was declared.
    private mutating func compileSeparators(_ spec: ColumnSpec) -> NumberText.Separators {
        let decimal = spec.decimalSeparator ?? (spec.thousandsSeparator == "." ? "," : nil)
        let separators = NumberText.Separators(decimal: decimal, thousands: spec.thousandsSeparator)
        if !separators.isValid {
            problem(spec.pointer, "decimal_separator and thousands_separator must be one character each")
        } else if separators.decimal == separators.thousands {
            problem(spec.pointer, "decimal_separator and thousands_separator must differ")
        }
        return separators
    }

    /// Where the column's value comes from: headers, a template, or a constant.
    private mutating func compileInput(_ spec: ColumnSpec) -> ColumnPlan.Input {
        switch spec.input {
        case .from(let names):
            if names.isEmpty { problem(spec.pointer + "/from", "'from' needs at least one header name") }
            return .from(keys: names.map(matcher.key), names: names)
        case .template(let text):
            switch InputTemplate.parse(text, headers: true) {
            case .success(let t):
                return .template(t, keys: t.pieces.map { if case .header(let h) = $0 { return matcher.key(h) }; return nil })
            case .failure(let e):
                problem(spec.pointer + "/template", e.message)
                return .constant(.null)
            }
        case .value(let scalar):
            guard case .string(let s) = scalar, s.contains("{{") else { return .constant(scalar) }
            switch InputTemplate.parse(s, headers: false) {
            case .success(let t): return .template(t, keys: t.pieces.map { _ in nil })
            case .failure(let e):
                problem(spec.pointer + "/value", e.message)
                return .constant(.null)
            }
        }
    }

    /// The compiled transform steps, whether they make the value a list (`split`), and each
    /// step's condition.
    private mutating func compileTransforms(_ spec: ColumnSpec) -> ([Transform], Bool, [Int]) {
        var transforms: [Transform] = []
        var conditions: [Int] = []
        var isList = false
        for (i, t) in spec.transforms.enumerated() {
            switch Transform.compile(t) {
            case .success(let compiled):
                conditions.append(condition(spec.transformWhen[i]))
                if case .concat(let columns, _, let separator) = compiled {
                    // Source headers, matched as `from` names are.
                    transforms.append(.concat(keys: columns.map(matcher.key), cells: [], separator: separator))
                    continue
                }
                transforms.append(compiled)
                if case .spec(.split) = compiled { isList = true }
            case .failure(let e): problem("\(spec.pointer)/transform/\(i)", e.message)
            }
        }
        return (transforms, isList, conditions)
    }

    /// The type coercion: date formats and boolean words.
    private mutating func compileCoercion(_ spec: ColumnSpec, separators: NumberText.Separators) -> (Coercion, [DateFormat]) {
        var formats: [DateFormat] = []
        for (i, f) in spec.formats.enumerated() {
            switch DateFormat.compileFormatsEntry(f) {
            case .success(let format): formats.append(format)
            case .failure(let e): problem("\(spec.pointer)/formats/\(i)", e.message)
            }
        }
        if !spec.formats.isEmpty && spec.type != .date && spec.type != .datetime {
            problem(spec.pointer + "/formats", "'formats' only applies to date and datetime columns")
        }
        var trueWords: Set<String>? = nil, falseWords: Set<String>? = nil
        if spec.trueValues != nil || spec.falseValues != nil {
            trueWords = Set((spec.trueValues ?? ["1", "true", "yes", "y", "on"]).map { TextOps.trim($0).lowercased() })
            falseWords = Set((spec.falseValues ?? ["0", "false", "no", "n", "off"]).map { TextOps.trim($0).lowercased() })
            if let t = trueWords, let f = falseWords, !t.isDisjoint(with: f) {
                problem(spec.pointer, "true_values and false_values overlap")
            }
        }
        return (Coercion(type: spec.type, separators: separators, formats: formats, trueWords: trueWords, falseWords: falseWords), formats)
    }

    /// Size semantics: numbers for numeric columns (or `numeric`/`integer` rules), items for lists.
    private static func sizeKind(_ spec: ColumnSpec, isList: Bool) -> MessageCatalog.SizeKind {
        let names = Set(spec.rules.map(\.name))
        if isList { return .array }
        if spec.type == .integer || spec.type == .decimal || names.contains("numeric") || names.contains("integer") { return .numeric }
        return .string
    }

    /// What a column's rules compile to.
    struct CompiledRules {
        var tables: ValidatorTables
        var validators: [Validator] = []
        /// Per validator, its condition's index (-1: none).
        var validatorWhen: [Int] = []
        var unique: DeferredRule? = nil
        var exists: ExistsRule? = nil
        var required = false

        var hasDistinct: Bool { validators.contains { if case .distinct = $0.check { return true }; return false } }
    }

    /// The facts a rule compiles against.
    struct RuleContext {
        let spec: ColumnSpec
        let attribute: String
        let formats: [DateFormat]
        let sizeKind: MessageCatalog.SizeKind
    }

    /// What one rule compiles to.
    enum CompiledRule {
        case skip
        case unique(DeferredRule)
        case exists(ExistsRule)
        case check(Validator.Check, placeholders: [String: String])
    }

    private mutating func compileRules(_ spec: ColumnSpec, attribute: String, formats: [DateFormat],
                                       separators: NumberText.Separators, sizeKind: MessageCatalog.SizeKind) -> CompiledRules {
        let dateType: ColumnType = spec.type == .date ? .date : .datetime
        var out = CompiledRules(tables: ValidatorTables(dateRuleCoercion: Coercion(
            type: dateType, separators: separators, formats: formats, trueWords: nil, falseWords: nil)))
        let context = RuleContext(spec: spec, attribute: attribute, formats: formats, sizeKind: sizeKind)
        for rule in spec.rules {
            let pointer = rule.pointer.isEmpty ? spec.pointer + "/rules" : rule.pointer
            guard let name = RuleName(rawValue: rule.name) else {
                problem(pointer, "unknown rule '\(rule.name)'")
                continue
            }
            if name == .distinct && out.hasDistinct { continue }
            if rule.when != nil && (name == .unique || name == .exists || name == .nullable) {
                problem(pointer + "/when", "'\(rule.name)' cannot be conditional (it holds for the whole column)")
                continue
            }
            if name == .required && rule.when == nil { out.required = true }
            switch compileRule(name, rule, pointer: pointer, context: context, tables: &out.tables) {
            case .skip: continue
            case .unique(let u): out.unique = u
            case .exists(let e): out.exists = e
            case .check(let check, let placeholders):
                let message = MessageCatalog.message(rule: rule.name, custom: rule.message, sizeKind: sizeKind, placeholders: placeholders)
                out.validators.append(Validator(check: check, message: out.tables.add(message: message),
                                                messageUsesInput: rule.message?.contains(":input") ?? false))
                out.validatorWhen.append(condition(rule.when))
            }
        }
        return out
    }

    /// One rule: its check and message placeholders, or why it cannot compile (recorded as a problem).
    private mutating func compileRule(_ name: RuleName, _ rule: RuleSpec, pointer: String, context: RuleContext,
                                      tables: inout ValidatorTables) -> CompiledRule {
        let args = rule.arguments
        let base = ["attribute": context.attribute]
        func with(_ extra: [String: String]) -> [String: String] { extra.merging(base) { a, _ in a } }
        if let check = name.simpleCheck { return .check(check, placeholders: base) }
        switch name {
        case .nullable:
            return .skip
        case .required:
            return .check(.required, placeholders: base)
        case .distinct:
            return .check(.distinct, placeholders: base)
        case .unique:
            return .unique(DeferredRule(message: MessageCatalog.message(rule: "unique", custom: rule.message, sizeKind: context.sizeKind, placeholders: base)))
        case .exists:
            guard let table = args.first, !table.isEmpty, args.count <= 2 else {
                return fail(pointer, "exists needs a table and optionally a column: exists:table,column")
            }
            return .exists(ExistsRule(table: table, column: args.count > 1 ? args[1] : context.spec.name,
                                      message: MessageCatalog.message(rule: "exists", custom: rule.message, sizeKind: context.sizeKind, placeholders: base)))
        case .requiredIf:
            return compileRequiredIf(args, pointer: pointer, tables: &tables, with: with)
        case .requiredWith, .requiredWithout:
            guard !args.isEmpty else { return fail(pointer, "\(rule.name) needs at least one column") }
            var others: [Int] = []
            for a in args {
                if let o = column(named: a) { others.append(o) } else { problem(pointer, "\(rule.name) names unknown column '\(a)'") }
            }
            let list = tables.add(columns: others)
            return .check(name == .requiredWith ? .requiredWith(list: list) : .requiredWithout(list: list),
                          placeholders: with(["values": others.map { MessageCatalog.attribute(of: definition.columns[$0]) }.joined(separator: " / ")]))
        case .dateFormat:
            let pattern = args.joined(separator: ",")
            switch DateFormat.compile(pattern, syntax: .php) {
            case .success(let f): return .check(.dateFormat(tables.add(format: f)), placeholders: with(["format": pattern]))
            case .failure(let e): return fail(pointer, e.message)
            }
        case .before, .after:
            guard args.count == 1, let bound = dateBound(args[0], formats: context.formats) else {
                return fail(pointer, "\(rule.name) needs a date (yyyy-MM-dd, today, tomorrow, yesterday, now) or a column name")
            }
            var shown = args[0]
            if case .column(let o) = bound { shown = MessageCatalog.attribute(of: definition.columns[o]) }
            return .check(name == .before ? .before(bound) : .after(bound), placeholders: with(["date": shown]))
        case .min, .max, .size, .between, .digits, .digitsBetween:
            return compileNumberRule(name, rule, pointer: pointer, with: with)
        case .inList, .notIn, .startsWith, .endsWith:
            guard !args.isEmpty else { return fail(pointer, "\(rule.name) needs at least one value") }
            let list = tables.add(strings: args)
            let check: Validator.Check = switch name {
            case .inList: .inList(list)
            case .notIn: .notIn(list)
            case .startsWith: .startsWith(list)
            default: .endsWith(list)
            }
            return .check(check, placeholders: with(["values": args.joined(separator: ", ")]))
        case .regex, .notRegex:
            switch PatternMatcher.compile(args.joined(separator: ",")) {
            case .success(let m):
                let index = tables.add(pattern: m)
                return .check(name == .regex ? .regex(index) : .notRegex(index), placeholders: base)
            case .failure(let e): return fail(pointer, e.message)
            }
        default:
            return fail(pointer, "unknown rule '\(rule.name)'")
        }
    }

    private mutating func fail(_ pointer: String, _ message: String) -> CompiledRule {
        problem(pointer, message)
        return .skip
    }

    private mutating func compileRequiredIf(_ args: [String], pointer: String, tables: inout ValidatorTables,
                                            with: ([String: String]) -> [String: String]) -> CompiledRule {
        guard args.count >= 2 else { return fail(pointer, "required_if needs a column and at least one value: required_if:column,value") }
        guard let other = column(named: args[0]) else { return fail(pointer, "required_if names unknown column '\(args[0])'") }
        let values = Array(args.dropFirst())
        var booleans: UInt8 = 0
        if definition.columns[other].type == .boolean {
            for b in values.compactMap(Coercion.parseDefaultBoolean) { booleans |= b ? 2 : 1 }
        }
        return .check(.requiredIf(column: other, list: tables.add(strings: values), booleans: booleans),
                      placeholders: with(["other": MessageCatalog.attribute(of: definition.columns[other]), "value": values.joined(separator: ", ")]))
    }

    /// `min`, `max`, `size`, `between`, `digits`, `digits_between`.
    private mutating func compileNumberRule(_ name: RuleName, _ rule: RuleSpec, pointer: String,
                                            with: ([String: String]) -> [String: String]) -> CompiledRule {
        let args = rule.arguments
        switch name {
        case .min, .max, .size:
            guard args.count == 1, let n = Double(args[0]), n.isFinite else { return fail(pointer, "\(rule.name) needs one number, e.g. \(rule.name):3") }
            return .check(name == .min ? .min(n) : name == .max ? .max(n) : .size(n), placeholders: with([rule.name: args[0]]))
        case .between:
            guard args.count == 2, let a = Double(args[0]), let b = Double(args[1]), a <= b else {
                return fail(pointer, "between needs two numbers, smallest first: between:1,5")
            }
            return .check(.between(a, b), placeholders: with(["min": args[0], "max": args[1]]))
        case .digits:
            guard args.count == 1, let n = Int(args[0]), n > 0 else { return fail(pointer, "digits needs a positive whole number") }
            return .check(.digits(n), placeholders: with(["digits": args[0]]))
        default:
            guard args.count == 2, let a = Int(args[0]), let b = Int(args[1]), a >= 0, a <= b else {
                return fail(pointer, "digits_between needs two whole numbers, smallest first")
            }
            return .check(.digitsBetween(a, b), placeholders: with(["min": args[0], "max": args[1]]))
        }
    }

    /// Adds `distinct` for `unique_in_file` columns; returns the column's distinct-state slot, if any.
    private mutating func addDistinct(_ spec: ColumnSpec, attribute: String, sizeKind: MessageCatalog.SizeKind,
                                      to rules: inout CompiledRules) -> Int? {
        if spec.uniqueInFile && !rules.hasDistinct {
            let message = MessageCatalog.message(rule: "distinct", custom: nil, sizeKind: sizeKind, placeholders: ["attribute": attribute])
            rules.validators.append(Validator(check: .distinct, message: rules.tables.add(message: message), messageUsesInput: false))
            rules.validatorWhen.append(-1)
        }
        guard rules.hasDistinct else { return nil }
        defer { distinctCount += 1 }
        return distinctCount
    }

    /// Messages for values that do not coerce; a rule of the same name may carry a custom one.
    private static func typeMessages(_ spec: ColumnSpec, attribute: String, sizeKind: MessageCatalog.SizeKind)
        -> (type: String, calendar: String, number: String) {
        func custom(_ name: String) -> String? { spec.rules.first { $0.name == name && $0.message != nil }?.message }
        let typeRule: String
        var typePlaceholders = ["attribute": attribute]
        switch spec.type {
        case .integer: typeRule = "integer"
        case .decimal: typeRule = "numeric"
        case .boolean: typeRule = "boolean"
        case .json: typeRule = "json"
        case .date, .datetime:
            if spec.formats.count == 1 { typeRule = "date_format"; typePlaceholders["format"] = spec.formats[0] } else { typeRule = "date" }
        case .text: typeRule = "string"
        }
        return (MessageCatalog.message(rule: typeRule, custom: custom(typeRule), sizeKind: sizeKind, placeholders: typePlaceholders),
                MessageCatalog.message(rule: "date", custom: custom("date"), sizeKind: sizeKind, placeholders: ["attribute": attribute]),
                MessageCatalog.message(rule: "numeric", custom: custom("numeric"), sizeKind: sizeKind, placeholders: ["attribute": attribute]))
    }

    /// The default, coerced now so a bad default is a compile error, not a failure on every row.
    private mutating func compileDefault(_ spec: ColumnSpec, coercion: Coercion) -> ColumnPlan.Default? {
        guard let d = spec.defaultValue, let text = d.text else { return nil }
        let value: CellValue
        switch d {
        case .bool(let b) where spec.type == .boolean:
            // A JSON boolean is the value itself, whatever words true_values/false_values list.
            return ColumnPlan.Default(text: text, value: .integer(b ? 1 : 0))
        case .integer(let i): value = .number(Double(i))
        case .number(let n): value = .number(n)
        default: value = .text(text)
        }
        switch coercion.coerce(value) {
        case .success(let typed): return ColumnPlan.Default(text: text, value: typed)
        case .failure:
            problem(spec.pointer + "/default", "default \(text) is not a valid \(spec.type.rawValue) value")
            return nil
        }
    }

    /// The messages of the key and size checks of a column.
    func refusals(for spec: ColumnSpec, attribute: String) -> ColumnPlan.Refusals {
        let target = definition.target
        let limits = definition.limits
        let isKey = target.key.contains(spec.name)
        return ColumnPlan.Refusals(
            emptyKey: isKey && !target.allowEmptyKey
                ? "The \(attribute) field is part of the key and must not be empty (set target.allow_empty_key to allow it)." : nil,
            tooLarge: "The \(attribute) field must not be larger than \(MessageCatalog.bytes(limits.maxValueBytes)) "
                + "after its transforms (limits.max_value_bytes).",
            rowTooLarge: "The \(attribute) field takes the row past \(MessageCatalog.bytes(limits.maxRowBytes)) "
                + "after transforms (limits.max_row_bytes).")
    }

    /// A `before`/`after` argument: a relative word, a date literal, or a column name.
    func dateBound(_ argument: String, formats: [DateFormat]) -> Validator.DateBound? {
        switch argument.lowercased() {
        case "today": return .relative(days: 0, now: false)
        case "tomorrow": return .relative(days: 1, now: false)
        case "yesterday": return .relative(days: -1, now: false)
        case "now": return .relative(days: 0, now: true)
        default: break
        }
        if case .success(let p) = DateFormat.parseISODateTime(argument) { return .fixed(p.orderKey) }
        for f in formats { if case .success(let p) = f.parse(argument) { return .fixed(p.orderKey) } }
        if let c = column(named: argument) { return .column(c) }
        return nil
    }
}
