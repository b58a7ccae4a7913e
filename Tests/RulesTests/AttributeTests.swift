import Definitions
import Testing
@testable import Rules

/// Messages name the field as Laravel Ingest's validator sees it: the source header, shown as
/// Laravel shows an attribute, or the column's `label`.
@Suite("The field a message names")
struct AttributeTests {
    @Test("headers are shown as Laravel's str_replace('_', ' ', Str::snake(…)) shows them", arguments: [
        ("Customer Email", "customer email"), ("customer_email", "customer email"), ("customer email", "customer email"),
        ("email", "email"), ("releasedOn", "released on"), ("Released On", "released on"), ("SKU", "s k u"),
        ("Weight (kg)", "weight(kg)"), ("E-Mail", "e- mail"), ("address.city", "address.city"), ("Zoë Name", "zoë name"),
        ("category_id", "category id"),
    ])
    func laravelAttribute(header: String, shown: String) {
        #expect(MessageCatalog.attribute(header) == shown)
    }

    @Test("a rule's message names the source header, not the target column; a label wins")
    func headerOrLabel() throws {
        let email = Fixture.column("email", from: ["Customer Email", "Mail"], rules: "email")
        #expect(try Fixture.single(email, "nope").messages == ["The customer email field must be a valid email address."])
        var labelled = email
        labelled.label = "e-mail address"
        #expect(try Fixture.single(labelled, "nope").messages == ["The e-mail address field must be a valid email address."])
        // A template column has no single header: its name is shown.
        let full = ColumnSpec(name: "full_name", input: .template("{First} {Last}"), rules: Fixture.rules("min:20"))
        let outcome = try Fixture.process([full], row: [("First", "Ada"), ("Last", "L")])
        #expect(outcome.errors.first?.messages == ["The full name field must be at least 20 characters."])
        // The errors stay keyed by the target column.
        let keyed = try Fixture.process([email], row: [("Customer Email", "nope")])
        #expect(keyed.errors.map(\.column) == ["email"])
    }

    @Test("rules that name another column name it by its header or label too")
    func otherColumns() throws {
        let contact = Fixture.column("contact", from: ["Contact Via"])
        var phone = Fixture.column("phone", from: ["Phone Number"], rules: "required_if:contact,phone")
        phone.label = "phone"
        let outcome = try Fixture.process([contact, phone], row: [("Contact Via", "phone"), ("Phone Number", "")])
        #expect(outcome.errors.first?.messages == ["The phone field is required when contact via is phone."])
    }
}
