/// The rule for every definition key ending in `_env`: it names an environment variable, and only
/// variables with the prefix `INGEST_SECRET_` may be named (a webhook's `secret_env`, a remote
/// source's `password_env`), so a definition can never send `INGEST_DATABASE`, `HOME` or another
/// process setting anywhere. `DefinitionDecoder.checkEnvironmentNames` applies it once per file.
package enum SecretEnvironment {
    /// The prefix every variable a definition names must start with.
    package static let prefix = "INGEST_SECRET_"

    /// Whether `name` is `INGEST_SECRET_` followed by one or more of `A-Z 0-9 _`.
    package static func isAllowed(_ name: String) -> Bool {
        guard name.hasPrefix(prefix), name.utf8.count > prefix.utf8.count else { return false }
        return name.utf8.allSatisfy { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }
}
