/// One compiled rule of a column: what to check and the finished message when it fails.
///
/// Plain data on purpose (no strings, arrays or classes inside): validators are read for
/// every cell, and a trivially copyable value costs no reference counting. Patterns, lists
/// and messages live in the column's `ColumnPlan` tables and are referred to by index.
///
/// `unique`, `exists` and `lookup` are not validators: they need the database, so the engine
/// checks them with the messages `CompiledColumn` exposes. `nullable` needs nothing: empty
/// values are already null.
struct Validator: Sendable {
    enum Check: Sendable {
        case required
        /// Required when another column's value is one of `stringLists[list]` (compared as text);
        /// for a boolean column, `booleans` has bit 0 for "false" and bit 1 for "true" among them.
        case requiredIf(column: Int, list: Int, booleans: UInt8)
        /// Columns in `columnLists[list]`.
        case requiredWith(list: Int)
        case requiredWithout(list: Int)
        case string, integer, numeric, boolean, email, url, uuid, ip
        /// Parsed with `dateRuleCoercion`.
        case date
        /// `dateFormats[index]`.
        case dateFormat(Int)
        case before(DateBound), after(DateBound)
        case min(Double), max(Double), between(Double, Double), size(Double)
        case digits(Int), digitsBetween(Int, Int)
        /// `stringLists[list]`.
        case inList(Int), notIn(Int)
        /// `patterns[index]`.
        case regex(Int), notRegex(Int)
        case alpha, alphaNum, alphaDash
        /// Printable ASCII, tab and line breaks only (Laravel's `ascii`).
        case ascii
        case startsWith(Int), endsWith(Int)
        case distinct
    }

    /// What `before`/`after` compare with.
    enum DateBound: Sendable {
        /// A fixed instant (seconds since 1970, see `DateParts.orderKey`).
        case fixed(Int)
        /// Another column's value in the same row.
        case column(Int)
        /// `today`, `tomorrow`, `yesterday` (midnight, days from the run start) or `now`.
        case relative(days: Int, now: Bool)
    }

    let check: Check
    /// Index into the plan's `messages`.
    let message: Int
    /// The custom message uses `:input`: filled in with the failing value.
    let messageUsesInput: Bool

    /// Rules that decide about empty values (`required*`); every other rule skips empty values.
    var appliesToEmpty: Bool {
        switch check {
        case .required, .requiredIf, .requiredWith, .requiredWithout: return true
        default: return false
        }
    }

    /// A failure stops the column's other rules (Laravel `bail` for presence and type checks),
    /// so a bad number is not also reported as too small.
    var bails: Bool {
        switch check {
        case .required, .requiredIf, .requiredWith, .requiredWithout, .string, .integer, .numeric, .boolean,
             .date, .dateFormat:
            return true
        default:
            return false
        }
    }

    /// Whether an item-wise rule looks at each element of a split list rather than the whole.
    var isItemwise: Bool {
        switch check {
        case .min, .max, .between, .size, .distinct, .required, .requiredIf, .requiredWith, .requiredWithout:
            return false
        default:
            return true
        }
    }
}
