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

    mutating func compile(_ spec: ColumnSpec) -> (ColumnPlan, CompiledColumn) {
        let attribute = MessageCatalog.attribute(spec.name)
        // A thousands separator of "." implies a decimal comma unless one was declared.
        let decimal = spec.decimalSeparator ?? (spec.thousandsSeparator == "." ? "," : nil)
        let separators = NumberText.Separators(decimal: decimal, thousands: spec.thousandsSeparator)
        if !separators.isValid {
            problem(spec.pointer, "decimal_separator and thousands_separator must be one character each")
        } else if separators.decimal == separators.thousands {
            problem(spec.pointer, "decimal_separator and thousands_separator must differ")
        }

        // Input.
        let input: ColumnPlan.Input
        switch spec.input {
        case .from(let names):
            if names.isEmpty { problem(spec.pointer + "/from", "'from' needs at least one header name") }
            input = .from(keys: names.map(matcher.key), names: names)
        case .template(let text):
            switch InputTemplate.parse(text, headers: true) {
            case .success(let t):
                input = .template(t, keys: t.pieces.map { if case .header(let h) = $0 { return matcher.key(h) }; return nil })
            case .failure(let e):
                problem(spec.pointer + "/template", e.message)
                input = .constant(.null)
            }
        case .value(let scalar):
            if case .string(let s) = scalar, s.contains("{{") {
                switch InputTemplate.parse(s, headers: false) {
                case .success(let t): input = .template(t, keys: t.pieces.map { _ in nil })
                case .failure(let e):
                    problem(spec.pointer + "/value", e.message)
                    input = .constant(.null)
                }
            } else {
                input = .constant(scalar)
            }
        }

        // Transforms.
        var transforms: [Transform] = []
        var isList = false
        for (i, t) in spec.transforms.enumerated() {
            switch Transform.compile(t) {
            case .success(let compiled):
                transforms.append(compiled)
                if case .split = compiled { isList = true }
            case .failure(let e): problem("\(spec.pointer)/transform/\(i)", e.message)
            }
        }

        // Type.
        var formats: [DateFormat] = []
        for (i, f) in spec.formats.enumerated() {
            switch DateFormat.compile(f) {
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
        let coercion = Coercion(type: spec.type, separators: separators, formats: formats, trueWords: trueWords, falseWords: falseWords)

        // Size semantics: numbers for numeric columns (or `numeric`/`integer` rules), items for lists.
        let ruleNames = Set(spec.rules.map(\.name))
        let sizeKind: MessageCatalog.SizeKind =
            isList ? .array
            : (spec.type == .integer || spec.type == .decimal || ruleNames.contains("numeric") || ruleNames.contains("integer")) ? .numeric
            : .string

        // Rules.
        let dateType: ColumnType = spec.type == .date ? .date : .datetime
        var tables = ValidatorTables(dateRuleCoercion: Coercion(type: dateType, separators: separators, formats: formats, trueWords: nil, falseWords: nil))
        var validators: [Validator] = []
        var unique: DeferredRule? = nil
        var exists: ExistsRule? = nil
        var required = false
        for rule in spec.rules {
            let placeholders: [String: String]
            let check: Validator.Check
            let args = rule.arguments
            let pointer = rule.pointer.isEmpty ? spec.pointer + "/rules" : rule.pointer
            func basePlaceholders(_ extra: [String: String] = [:]) -> [String: String] {
                extra.merging(["attribute": attribute]) { a, _ in a }
            }
            switch rule.name {
            case "nullable":
                continue
            case "unique":
                unique = DeferredRule(message: MessageCatalog.message(rule: "unique", custom: rule.message, sizeKind: sizeKind, placeholders: basePlaceholders()))
                continue
            case "exists":
                guard let table = args.first, !table.isEmpty, args.count <= 2 else {
                    problem(pointer, "exists needs a table and optionally a column: exists:table,column"); continue
                }
                exists = ExistsRule(table: table, column: args.count > 1 ? args[1] : spec.name,
                                    message: MessageCatalog.message(rule: "exists", custom: rule.message, sizeKind: sizeKind, placeholders: basePlaceholders()))
                continue
            case "distinct":
                if validators.contains(where: { if case .distinct = $0.check { return true }; return false }) { continue }
                check = .distinct; placeholders = basePlaceholders()
            case "required": required = true; check = .required; placeholders = basePlaceholders()
            case "required_if":
                guard args.count >= 2 else { problem(pointer, "required_if needs a column and at least one value: required_if:column,value"); continue }
                guard let other = column(named: args[0]) else { problem(pointer, "required_if names unknown column '\(args[0])'"); continue }
                let values = Array(args.dropFirst())
                var booleans: UInt8 = 0
                if definition.columns[other].type == .boolean {
                    for b in values.compactMap(Coercion.parseDefaultBoolean) { booleans |= b ? 2 : 1 }
                }
                check = .requiredIf(column: other, list: tables.add(strings: values), booleans: booleans)
                placeholders = basePlaceholders(["other": MessageCatalog.attribute(definition.columns[other].name), "value": values.joined(separator: ", ")])
            case "required_with", "required_without":
                guard !args.isEmpty else { problem(pointer, "\(rule.name) needs at least one column"); continue }
                var others: [Int] = []
                for a in args {
                    if let o = column(named: a) { others.append(o) } else { problem(pointer, "\(rule.name) names unknown column '\(a)'") }
                }
                let list = tables.add(columns: others)
                check = rule.name == "required_with" ? .requiredWith(list: list) : .requiredWithout(list: list)
                placeholders = basePlaceholders(["values": others.map { MessageCatalog.attribute(definition.columns[$0].name) }.joined(separator: " / ")])
            case "string": check = .string; placeholders = basePlaceholders()
            case "integer": check = .integer; placeholders = basePlaceholders()
            case "numeric": check = .numeric; placeholders = basePlaceholders()
            case "boolean": check = .boolean; placeholders = basePlaceholders()
            case "email": check = .email; placeholders = basePlaceholders()
            case "url": check = .url; placeholders = basePlaceholders()
            case "uuid": check = .uuid; placeholders = basePlaceholders()
            case "ip": check = .ip; placeholders = basePlaceholders()
            case "alpha": check = .alpha; placeholders = basePlaceholders()
            case "alpha_num": check = .alphaNum; placeholders = basePlaceholders()
            case "alpha_dash": check = .alphaDash; placeholders = basePlaceholders()
            case "date":
                check = .date
                placeholders = basePlaceholders()
            case "date_format":
                let pattern = args.joined(separator: ",")
                switch DateFormat.compile(pattern) {
                case .success(let f): check = .dateFormat(tables.add(format: f))
                case .failure(let e): problem(pointer, e.message); continue
                }
                placeholders = basePlaceholders(["format": pattern])
            case "before", "after":
                guard args.count == 1, let bound = dateBound(args[0], formats: formats) else {
                    problem(pointer, "\(rule.name) needs a date (yyyy-MM-dd, today, tomorrow, yesterday, now) or a column name")
                    continue
                }
                check = rule.name == "before" ? .before(bound) : .after(bound)
                var shown = args[0]
                if case .column(let o) = bound { shown = MessageCatalog.attribute(definition.columns[o].name) }
                placeholders = basePlaceholders(["date": shown])
            case "min", "max", "size":
                guard args.count == 1, let n = Double(args[0]), n.isFinite else {
                    problem(pointer, "\(rule.name) needs one number, e.g. \(rule.name):3"); continue
                }
                check = rule.name == "min" ? .min(n) : rule.name == "max" ? .max(n) : .size(n)
                placeholders = basePlaceholders([rule.name: args[0]])
            case "between":
                guard args.count == 2, let a = Double(args[0]), let b = Double(args[1]), a <= b else {
                    problem(pointer, "between needs two numbers, smallest first: between:1,5"); continue
                }
                check = .between(a, b)
                placeholders = basePlaceholders(["min": args[0], "max": args[1]])
            case "digits":
                guard args.count == 1, let n = Int(args[0]), n > 0 else { problem(pointer, "digits needs a positive whole number"); continue }
                check = .digits(n)
                placeholders = basePlaceholders(["digits": args[0]])
            case "digits_between":
                guard args.count == 2, let a = Int(args[0]), let b = Int(args[1]), a >= 0, a <= b else {
                    problem(pointer, "digits_between needs two whole numbers, smallest first"); continue
                }
                check = .digitsBetween(a, b)
                placeholders = basePlaceholders(["min": args[0], "max": args[1]])
            case "in", "not_in":
                guard !args.isEmpty else { problem(pointer, "\(rule.name) needs at least one value"); continue }
                let list = tables.add(strings: args)
                check = rule.name == "in" ? .inList(list) : .notIn(list)
                placeholders = basePlaceholders(["values": args.joined(separator: ", ")])
            case "regex", "not_regex":
                let text = args.joined(separator: ",")
                switch PatternMatcher.compile(text) {
                case .success(let m):
                    let index = tables.add(pattern: m)
                    check = rule.name == "regex" ? .regex(index) : .notRegex(index)
                case .failure(let e): problem(pointer, e.message); continue
                }
                placeholders = basePlaceholders()
            case "starts_with", "ends_with":
                guard !args.isEmpty else { problem(pointer, "\(rule.name) needs at least one value"); continue }
                let list = tables.add(strings: args)
                check = rule.name == "starts_with" ? .startsWith(list) : .endsWith(list)
                placeholders = basePlaceholders(["values": args.joined(separator: ", ")])
            default:
                problem(pointer, "unknown rule '\(rule.name)'")
                continue
            }
            let message = MessageCatalog.message(rule: rule.name, custom: rule.message, sizeKind: sizeKind, placeholders: placeholders)
            validators.append(Validator(check: check, message: tables.add(message: message),
                                        messageUsesInput: rule.message?.contains(":input") ?? false))
        }
        if spec.uniqueInFile && !validators.contains(where: { if case .distinct = $0.check { return true }; return false }) {
            let message = MessageCatalog.message(rule: "distinct", custom: nil, sizeKind: sizeKind, placeholders: ["attribute": attribute])
            validators.append(Validator(check: .distinct, message: tables.add(message: message), messageUsesInput: false))
        }
        var distinctSlot: Int? = nil
        if validators.contains(where: { if case .distinct = $0.check { return true }; return false }) {
            distinctSlot = distinctCount; distinctCount += 1
        }

        // Messages for values that do not coerce; a rule of the same name may carry a custom one.
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
        let typeMessage = MessageCatalog.message(rule: typeRule, custom: custom(typeRule), sizeKind: sizeKind, placeholders: typePlaceholders)
        let calendarMessage = MessageCatalog.message(rule: "date", custom: custom("date"), sizeKind: sizeKind, placeholders: ["attribute": attribute])
        let numberMessage = MessageCatalog.message(rule: "numeric", custom: custom("numeric"), sizeKind: sizeKind, placeholders: ["attribute": attribute])

        // Default, coerced now so a bad default is a compile error, not a failure on every row.
        var defaultValue: ColumnPlan.Default? = nil
        if let d = spec.defaultValue, let text = d.text {
            let value: CellValue
            switch d {
            case .integer(let i): value = .number(Double(i))
            case .number(let n): value = .number(n)
            default: value = .text(text)
            }
            switch coercion.coerce(value) {
            case .success(let typed): defaultValue = ColumnPlan.Default(text: text, value: typed)
            case .failure: problem(spec.pointer + "/default", "default \(text) is not a valid \(spec.type.rawValue) value")
            }
        }

        let plan = ColumnPlan(
            name: spec.name, input: input, transforms: transforms, separators: separators, coercion: coercion,
            defaultValue: defaultValue, validators: validators, tables: tables, typeMessage: typeMessage,
            calendarMessage: calendarMessage, numberMessage: numberMessage, sizeKind: sizeKind,
            distinctSlot: distinctSlot, refusals: refusals(for: spec, attribute: attribute))
        let sqlType = spec.sqlType ?? (spec.lookup != nil ? "INTEGER" : CompiledColumn.sqlType(for: spec.type))
        let compiled = CompiledColumn(
            name: spec.name, type: spec.type, sqlType: sqlType, isKey: definition.target.key.contains(spec.name),
            lookup: spec.lookup, unique: unique, exists: exists, nullable: spec.nullable || !required)
        return (plan, compiled)
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
