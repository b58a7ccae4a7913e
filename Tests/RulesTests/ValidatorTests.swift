import Definitions
import Testing
@testable import Rules

@Suite("Rules and their Laravel messages")
struct ValidatorTests {
    /// Messages for `value` in a column `name` with `rules`.
    func messages(_ rules: String, _ value: String, name: String = "x", type: ColumnType = .text) throws -> [String] {
        try Fixture.single(Fixture.column(name, type: type, rules: rules), value).messages
    }

    @Test("required fails on an empty JSON array or object, as Laravel's does on an empty array")
    func requiredEmptyContainers() throws {
        #expect(try messages("required", "[]", name: "tags") == ["The tags field is required."])
        #expect(try messages("required", "{}", name: "tags", type: .json) == ["The tags field is required."])
        #expect(try messages("required", "[ ]", name: "tags", type: .json) == ["The tags field is required."])
        #expect(try messages("required", "[\"a\"]", name: "tags", type: .json) == [])
        #expect(try messages("required", "[x]", name: "tags") == [])
    }

    @Test("required fails on empty and whitespace-only values")
    func required() throws {
        #expect(try messages("required", "", name: "first_name") == ["The first name field is required."])
        #expect(try messages("required", "   ", name: "first_name") == ["The first name field is required."])
        #expect(try messages("required", "Ada", name: "first_name") == [])
    }

    @Test("rules other than required skip empty values")
    func emptySkips() throws {
        #expect(try messages("email|min:3", "") == [])
        #expect(try messages("nullable|email", "") == [])
    }

    @Test("string, integer, numeric and boolean check text columns")
    func typeRules() throws {
        #expect(try messages("string", "anything") == [])
        #expect(try messages("integer", "12") == [])
        #expect(try messages("integer", "1.5", name: "stock") == ["The stock field must be an integer."])
        #expect(try messages("numeric", "1.5") == [])
        #expect(try messages("numeric", "1,5", name: "price") == ["The price field must be a number."])
        #expect(try messages("boolean", "yes") == [])
        #expect(try messages("boolean", "perhaps") == ["The x field must be true or false."])
    }

    @Test("email accepts RFC addresses, including dot-less domains, and rejects the rest")
    func email() throws {
        for ok in ["a@b.co", "first.last+tag@example.com", "a@localhost", "\"quoted name\"@example.com", "üser@exämple.de", "a@[127.0.0.1]"] {
            #expect(try messages("email", ok) == [], "\(ok)")
        }
        for bad in ["not-an-email", "a@", "@b.com", "a..b@c.com", ".a@b.com", "a.@b.com", "a b@c.com", "a@b..com", "a@-b.com", "a@b.com."] {
            #expect(try messages("email", bad, name: "email") == ["The email field must be a valid email address."], "\(bad)")
        }
    }

    @Test("the email atext table holds exactly RFC 5322 atext")
    func atextTable() {
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-".utf8)
        for byte in UInt8(0)..<128 {
            #expect(FormatCheck.isAtext(byte) == atext.contains(byte), "byte \(byte)")
        }
    }

    @Test("url, uuid and ip check their formats")
    func formats() throws {
        #expect(try messages("url", "https://example.com/a?b=c#d") == [])
        #expect(try messages("url", "http://localhost:8080") == [])
        #expect(try messages("url", "http://[::1]/x") == [])
        #expect(try messages("url", "example.com") == ["The x field must be a valid URL."])
        #expect(try messages("url", "http://exa mple.com") == ["The x field must be a valid URL."])
        #expect(try messages("uuid", "123e4567-e89b-12d3-a456-426614174000") == [])
        #expect(try messages("uuid", "123e4567e89b12d3a456426614174000") == ["The x field must be a valid UUID."])
        #expect(try messages("ip", "192.168.0.1") == [])
        #expect(try messages("ip", "2001:db8::1") == [])
        #expect(try messages("ip", "::ffff:192.0.2.1") == [])
        #expect(try messages("ip", "256.1.1.1") == ["The x field must be a valid IP address."])
        #expect(try messages("ip", "01.1.1.1") == ["The x field must be a valid IP address."])
        #expect(try messages("ip", "1::2::3") == ["The x field must be a valid IP address."])
    }

    @Test("date and date_format check dates in text columns")
    func dates() throws {
        #expect(try messages("date", "2021-03-04") == [])
        #expect(try messages("date", "2021-02-30") == ["The x field must be a valid date."])
        #expect(try messages("date_format:d.m.Y", "04.03.2021") == [])
        #expect(try messages("date_format:d.m.Y", "2021-03-04") == ["The x field must match the format d.m.Y."])
        #expect(try messages("date_format:d.m.Y H:i", "15.03.2026 12:00") == [])
        #expect(try messages("date_format:Y-m-d", "2021-03-04") == [])
    }

    @Test("before and after compare with a date, a relative day or another column")
    func beforeAfter() throws {
        #expect(try messages("before:2020-01-01", "2019-12-31", type: .date) == [])
        #expect(try messages("before:2020-01-01", "2020-01-01", type: .date) == ["The x field must be a date before 2020-01-01."])
        #expect(try messages("after:2020-01-01", "2020-01-02", type: .date) == [])
        #expect(try messages("after:2020-01-01", "2019-01-02", type: .date) == ["The x field must be a date after 2020-01-01."])
        // The run started 2026-11-29T10:30:00Z.
        #expect(try messages("before:today", "2026-11-28", type: .date) == [])
        #expect(try messages("after:today", "2026-11-29", type: .date) == ["The x field must be a date after today."])
        let columns = [
            Fixture.column("starts_on", type: .date),
            Fixture.column("ends_on", type: .date, rules: "after:starts_on"),
        ]
        let ok = try Fixture.process(columns, row: [("starts_on", "2021-01-01"), ("ends_on", "2021-01-02")])
        #expect(ok.isValid)
        let bad = try Fixture.process(columns, row: [("starts_on", "2021-01-03"), ("ends_on", "2021-01-02")])
        #expect(bad.errors.first?.messages == ["The ends on field must be a date after starts on."])
    }

    @Test("min, max, between and size measure characters for text")
    func sizesText() throws {
        #expect(try messages("min:2", "a", name: "name") == ["The name field must be at least 2 characters."])
        #expect(try messages("min:2", "éé", name: "name") == [])
        #expect(try messages("max:3", "abcd", name: "name") == ["The name field must not be greater than 3 characters."])
        #expect(try messages("between:1,5", "abcdef") == ["The x field must be between 1 and 5 characters."])
        #expect(try messages("size:4", "abc") == ["The x field must be 4 characters."])
        #expect(try messages("size:4", "abcd") == [])
    }

    @Test("min, max, between and size measure the value for numbers")
    func sizesNumbers() throws {
        #expect(try messages("min:0", "-3.00", name: "price", type: .decimal) == ["The price field must be at least 0."])
        #expect(try messages("min:0", "0", name: "price", type: .decimal) == [])
        #expect(try messages("max:10", "11", type: .integer) == ["The x field must not be greater than 10."])
        #expect(try messages("between:1,5", "6", type: .integer) == ["The x field must be between 1 and 5."])
        #expect(try messages("size:3", "3", type: .integer) == [])
        #expect(try messages("numeric|min:10", "9") == ["The x field must be at least 10."])
    }

    @Test("a value that does not coerce reports only the type error")
    func typeBails() throws {
        #expect(try messages("min:0", "lots", name: "stock", type: .integer) == ["The stock field must be an integer."])
        #expect(try messages("required|min:0", "", name: "stock", type: .integer) == ["The stock field is required."])
    }

    @Test("digits and digits_between count digits")
    func digits() throws {
        #expect(try messages("digits:4", "0042", name: "code") == [])
        #expect(try messages("digits:4", "042", name: "code") == ["The code field must be 4 digits."])
        #expect(try messages("digits:4", "12a4", name: "code") == ["The code field must be 4 digits."])
        #expect(try messages("digits_between:2,4", "12345") == ["The x field must be between 2 and 4 digits."])
        #expect(try messages("digits_between:2,4", "123") == [])
    }

    @Test("in and not_in compare with a list")
    func inList() throws {
        #expect(try messages("in:red,blue", "red", name: "team") == [])
        #expect(try messages("in:red,blue", "green", name: "team") == ["The selected team is invalid."])
        #expect(try messages("not_in:admin,root", "root", name: "user_name") == ["The selected user name is invalid."])
        #expect(try messages("not_in:admin,root", "ada", name: "user_name") == [])
        #expect(try messages("in:1,2", "01", type: .integer) == [])
    }

    @Test("regex and not_regex match anywhere unless anchored")
    func regex() throws {
        #expect(try messages("regex:/^SKU-[0-9]{8}$/", "SKU-00000001", name: "sku") == [])
        #expect(try messages("regex:/^SKU-[0-9]{8}$/", "bad", name: "sku") == ["The sku field format is invalid."])
        #expect(try messages("regex:/[0-9]/", "abc1") == [])
        #expect(try messages("regex:/^abc$/i", "ABC") == [])
        #expect(try messages("not_regex:/\\s/", "a b") == ["The x field format is invalid."])
        #expect(try messages("not_regex:/\\s/", "ab") == [])
        #expect(try messages("regex:/^(?:a|b)\\b/", "a-") == [])
        #expect(try messages("regex:/^\\p{L}+$/u", "Zoë") == [])
        #expect(try messages("regex:/^\\p{L}+$/u", "Zoë1") == ["The x field format is invalid."])
        #expect(try messages("regex:/^abc$/m", "x\nabc\ny") == [])
    }

    @Test("regex rules finish on cells that make backtracking engines hang")
    func regexLinear() throws {
        // With backtracking (the old engine, or ICU) neither of these finishes in reasonable time.
        let threeMB = String(repeating: "a", count: 3_000_000)
        // Over the default 1 MiB value cap (`limits`), which would fail the row first: raised here.
        let raised = ValueLimits(maxValueBytes: 8 << 20)
        #expect(try Fixture.single(Fixture.column("x", rules: "regex:/^(a+)+$/"), threeMB + "!", limits: raised).messages
                == ["The x field format is invalid."])
        #expect(try messages("not_regex:/^(a+)+$/", String(repeating: "a", count: 30_000) + "!") == [])
        let cell = String(repeating: "a", count: 80) + "!"
        #expect(try messages("regex:/(a+)+$|!/s", cell) == [])
        #expect(try messages("regex:/(a+)+$|#/s", cell) == ["The x field format is invalid."])
    }

    @Test("ascii allows printable ASCII, tabs and line breaks, nothing else")
    func asciiRule() throws {
        #expect(try messages("ascii", "Code-42 (x) ~!") == [])
        #expect(try messages("ascii", "two\tcols\r\nlines") == [])
        let refusal = ["The x field must only contain single-byte alphanumeric characters and symbols."]
        #expect(try messages("ascii", "Zoë") == refusal)
        #expect(try messages("ascii", "bell\u{07}") == refusal)
        #expect(try messages("ascii", "del\u{7F}") == refusal)
    }

    @Test("alpha, alpha_num and alpha_dash allow letters beyond ASCII")
    func alpha() throws {
        #expect(try messages("alpha", "Zoë") == [])
        #expect(try messages("alpha", "Zoe1") == ["The x field must only contain letters."])
        #expect(try messages("alpha_num", "Zoë2") == [])
        #expect(try messages("alpha_num", "Zoë 2") == ["The x field must only contain letters and numbers."])
        #expect(try messages("alpha_dash", "zoë_2-b") == [])
        #expect(try messages("alpha_dash", "zoë.2") == ["The x field must only contain letters, numbers, dashes, and underscores."])
    }

    @Test("starts_with and ends_with list the allowed affixes")
    func affixes() throws {
        #expect(try messages("starts_with:a,b", "apple") == [])
        #expect(try messages("starts_with:a,b", "cherry") == ["The x field must start with one of the following: a, b."])
        #expect(try messages("ends_with:.csv,.tsv", "x.csv") == [])
        #expect(try messages("ends_with:.csv,.tsv", "x.xlsx") == ["The x field must end with one of the following: .csv, .tsv."])
    }

    @Test("required_if, required_with and required_without look at other columns")
    func requiredOthers() throws {
        let columns = [
            Fixture.column("type"),
            Fixture.column("vat_id", rules: "required_if:type,business"),
            Fixture.column("phone"),
            Fixture.column("email", rules: "required_without:phone"),
            Fixture.column("fax", rules: "required_with:phone"),
        ]
        let business = try Fixture.process(columns, row: [("type", "business"), ("vat_id", ""), ("phone", "1"), ("email", ""), ("fax", "")])
        #expect(business.errors.map(\.column) == ["vat_id", "fax"])
        #expect(business.errors[0].messages == ["The vat id field is required when type is business."])
        #expect(business.errors[1].messages == ["The fax field is required when phone is present."])
        let person = try Fixture.process(columns, row: [("type", "person"), ("vat_id", ""), ("phone", ""), ("email", ""), ("fax", "")])
        #expect(person.errors.map(\.column) == ["email"])
        #expect(person.errors[0].messages == ["The email field is required when phone is not present."])
    }

    @Test("required_if compares booleans as booleans")
    func requiredIfBoolean() throws {
        let columns = [Fixture.column("active", type: .boolean), Fixture.column("reason", rules: "required_if:active,false")]
        #expect(try !Fixture.process(columns, row: [("active", "no"), ("reason", "")]).isValid)
        #expect(try Fixture.process(columns, row: [("active", "yes"), ("reason", "")]).isValid)
    }

    @Test("a custom message replaces the built-in one, with placeholders")
    func customMessage() throws {
        var column = Fixture.column("sku", rules: "required")
        column.rules.append(RuleSpec(name: "regex", arguments: ["/^SKU-/"], message: "The :attribute must start with SKU- (got ':input')."))
        column.rules.append(RuleSpec(name: "min", arguments: ["20"], message: ":Attribute needs :min characters."))
        let result = try Fixture.single(column, "ABC")
        #expect(result.messages == ["The sku must start with SKU- (got 'ABC').", "Sku needs 20 characters."])
    }

    @Test("a custom message on a type rule is used for the type failure")
    func customTypeMessage() throws {
        var column = Fixture.column("stock", type: .integer)
        column.rules = [RuleSpec(name: "integer", message: "Stock must be a whole number.")]
        #expect(try Fixture.single(column, "1.5").messages == ["Stock must be a whole number."])
    }

    @Test("several failing rules are all reported, in rule order")
    func allFailures() throws {
        #expect(try messages("min:5|regex:/^[0-9]+$/", "ab") == ["The x field must be at least 5 characters.", "The x field format is invalid."])
    }

    @Test("unique and exists are left to the engine with their messages")
    func deferred() throws {
        let importer = try Fixture.importer([
            Fixture.column("sku", rules: "unique"),
            Fixture.column("category_id", rules: "exists:categories,id"),
            Fixture.column("brand_id", rules: "exists:brands"),
        ])
        #expect(importer.columns[0].unique?.message == "The sku has already been taken.")
        #expect(importer.columns[1].exists == ExistsRule(table: "categories", column: "id", message: "The selected category id is invalid."))
        #expect(importer.columns[2].exists?.column == "brand_id")
    }
}

@Suite("Rule names")
struct RuleNameTests {
    @Test("the compiler knows exactly the rules the decoder accepts")
    func sameNames() {
        #expect(Set(RuleName.allCases.map(\.rawValue)) == Set(RuleSpec.names))
        #expect(RuleName.allCases.count == RuleSpec.names.count)
    }
}
