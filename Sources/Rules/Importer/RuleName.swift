import Definitions

/// Every rule a definition may name, keyed by its name as written (`alpha_num`).
///
/// The compiler switches over this enum, so a rule added to ``Definitions/RuleSpec/names`` but
/// not compiled here is a build error rather than an "unknown rule" at run time (see the test
/// that compares both lists).
enum RuleName: String, CaseIterable {
    case required, nullable
    case requiredIf = "required_if", requiredWith = "required_with", requiredWithout = "required_without"
    case string, integer, numeric, boolean, email, url, uuid, ip
    case date, dateFormat = "date_format", before, after
    case min, max, between, size, digits, digitsBetween = "digits_between"
    case inList = "in", notIn = "not_in", regex, notRegex = "not_regex"
    case alpha, alphaNum = "alpha_num", alphaDash = "alpha_dash", ascii, startsWith = "starts_with", endsWith = "ends_with"
    case distinct, unique, exists

    /// The check of a rule that takes no argument and needs nothing else, or nil.
    var simpleCheck: Validator.Check? {
        switch self {
        case .string: return .string
        case .integer: return .integer
        case .numeric: return .numeric
        case .boolean: return .boolean
        case .email: return .email
        case .url: return .url
        case .uuid: return .uuid
        case .ip: return .ip
        case .alpha: return .alpha
        case .alphaNum: return .alphaNum
        case .alphaDash: return .alphaDash
        case .ascii: return .ascii
        case .date: return .date
        default: return nil
        }
    }
}
