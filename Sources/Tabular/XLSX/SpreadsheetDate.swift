import IngestSupport
/// Converts spreadsheet serial dates to ISO 8601 text.
///
/// Serial numbers count days from an epoch with the time of day as the fraction. Two systems:
/// - 1900 (Windows default): serial 1 is 1900-01-01, and serial 60 is the non-existent
///   1900-02-29 that Lotus 1-2-3 invented and Excel kept; it is delivered as "1900-02-29".
/// - 1904 (old Mac default, `workbookPr date1904`): serial 0 is 1904-01-01.
enum SpreadsheetDate {
    /// Which epoch a workbook uses.
    enum System: Equatable {
        case from1900, from1904
    }

    /// ISO text for `serial`: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` when there is a time part,
    /// or `HH:MM:SS` when `timeOnly` and the serial is below one day. Nil when out of range.
    static func iso(serial: Double, system: System, timeOnly: Bool = false) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }  // up to 9999-12-31
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let time = "\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))"
        if timeOnly && days == 0 { return time }
        let date: String
        switch system {
        case .from1900:
            if days == 0 { return seconds == 0 ? nil : time }
            if days == 60 {
                date = "1900-02-29"
            } else {
                date = civil(unixDays: days < 60 ? days - 25_568 : days - 25_569)
            }
        case .from1904:
            date = civil(unixDays: days - 24_107)
        }
        return seconds == 0 ? date : date + "T" + time
    }

    /// `YYYY-MM-DD` for days since 1970-01-01 (proleptic Gregorian).
    static func civil(unixDays: Int) -> String {
        let (year, month, day) = CivilDate.civil(days: unixDays)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
