import Engine

/// Reads the `dry_run` flag the way Laravel's `boolean` rule does, but strictly.
enum BooleanInput {
    /// The message of a value that is not a boolean.
    static func message(field: String) -> String {
        "The \(field.replacingUnderscores) field must be true or false."
    }

    /// A form value: `1`, `0`, `true`, `false`; missing means `false`; anything else is `422`.
    static func parse(formValue value: String?, field: String) throws(APIError) -> Bool {
        guard let value else { return false }
        switch value.trimmingASCIIWhitespace() {
        case "1", "true": return true
        case "0", "false": return false
        default: throw .invalid(field: field, message: message(field: field))
        }
    }

    /// A JSON value: `true`/`false`, `1`/`0`, or the strings `"1"`, `"0"`, `"true"`, `"false"`
    /// exactly; `null` or missing means `false`.
    static func parse(jsonValue value: JSONValue?, field: String) throws(APIError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let flag)?: return flag
        case .integer(1)?, .string("1")?, .string("true")?: return true
        case .integer(0)?, .string("0")?, .string("false")?: return false
        default: throw .invalid(field: field, message: message(field: field))
        }
    }

    /// `dry_run` from an optional JSON object body (`trigger`, `retry`). An empty body means
    /// `false`; a body that is not a JSON object is `400`; any other key is `422`.
    static func dryRun(jsonBody bytes: [UInt8]) throws(APIError) -> Bool {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return false }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes: bytes)
        } catch {
            throw .badRequest("The request body is not valid JSON.")
        }
        guard let members = document.objectValue else { throw .badRequest("The request body must be a JSON object.") }
        if let unknown = members.first(where: { $0.0 != "dry_run" }) {
            throw .unknownField(unknown.0, accepted: ["dry_run"])
        }
        return try parse(jsonValue: document["dry_run"], field: "dry_run")
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        let blank: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        while let first = scalars.first, blank.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, blank.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
