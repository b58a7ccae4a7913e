/// The one rule for definition keys that name an environment variable (every key ending in
/// `_env`, such as a source's `password_env`): the name must start with `INGEST_SECRET_`, so a
/// definition can only read variables an operator set aside for it, never `HOME`, `PATH` or the
/// server's own settings.
package enum SecretEnvName {
    /// The prefix every named variable carries.
    package static let prefix = "INGEST_SECRET_"

    /// Why `name` may not be used (a problem message), or nil when it may: the prefix, then one or
    /// more of `A-Z`, `0-9`, `_`.
    package static func validate(_ name: String) -> String? {
        let rest = name.utf8.dropFirst(prefix.utf8.count)
        guard name.hasPrefix(prefix), !rest.isEmpty,
              rest.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }) else {
            return "'\(name)' is not a secret variable name: it must be \(prefix) followed by upper-case letters, digits or '_' (e.g. \(prefix)FTP_PASSWORD)"
        }
        return nil
    }
}
