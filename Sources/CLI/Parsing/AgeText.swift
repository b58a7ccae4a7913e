/// An age on the command line: a whole number and a unit, `30d`, `12h` or `90m`.
enum AgeText {
    /// The longest age accepted: 100 years, in days.
    static let maxDays = 36_500

    /// The age `text` names, or a usage error naming `option` and the accepted forms.
    static func parse(_ text: String, option: String) throws(UsageError) -> Duration {
        let hint = "'--\(option)' takes an age such as 30d, 12h or 90m (a whole number of days, hours or minutes)"
        guard let unit = text.last, let seconds: Int64 = ["d": 86_400, "h": 3_600, "m": 60][unit] else {
            throw UsageError("\(hint), not '\(text)'.")
        }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }), digits.count <= 9, let count = Int64(digits) else {
            throw UsageError("\(hint), not '\(text)'.")
        }
        guard count > 0 else { throw UsageError("\(hint); it must be more than zero, not '\(text)'.") }
        guard count * seconds <= Int64(maxDays) * 86_400 else { throw UsageError("\(hint), of at most \(maxDays)d, not '\(text)'.") }
        return .seconds(count * seconds)
    }
}
