/// Reads the array of objects a `ReadOptions.rawJSONKeys` cell holds (`nest`): the cell is the
/// value's compact JSON text, so only a real JSON array gives rows; a string that merely looks
/// like one (`"[{…}]"`, kept with its quotes) does not.
package enum NestedArray {
    /// The array's objects, each flattened as a row of the JSON reader is (nested objects to
    /// dotted keys, arrays to their JSON text, `null` to empty). An empty cell (the key was
    /// missing), `null` and `[]` give no objects.
    ///
    /// Throws `.malformedJSON` with a sentence naming what was found: a value that is not an
    /// array ("expected an array of objects, found a string"), or an element that is not an object.
    package static func objects(in text: String, limits: ReadLimits = ReadLimits()) throws(TabularError) -> [[(key: String, value: String)]] {
        let bytes = Array(text.utf8)
        guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return [] }
        guard first == UInt8(ascii: "[") else {
            if text.trimmingSpaces == "null" { return [] }
            throw TabularError(.malformedJSON, "expected an array of objects, found \(describe(first))")
        }
        var options = ReadOptions(format: .json, limits: limits)
        options.keySelection = nil
        var parser = JSONTableParser(source: ArrayChunkSource(bytes), format: .json, options: options, pointer: nil)
        var objects: [[(key: String, value: String)]] = []
        while let pairs = try parser.nextObject() { objects.append(pairs) }
        return objects
    }

    private static func describe(_ first: UInt8) -> String {
        switch first {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "text that is not JSON"
        }
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\n" || c == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[start...end]
    }
}
