/// How the API presents itself: where it is mounted and its paging and body limits.
public struct APIConfiguration: Sendable {
    /// The path prefix of every route, normalised: a leading `/`, no trailing `/`; `""` mounts
    /// the API at the root. Default `/api/v1/ingest`, as in the seed.
    public private(set) var prefix: String
    /// The scheme of absolute links (pagination). Default `http`; set `https` behind a TLS proxy.
    public var scheme: String
    /// The host (and port) used in links when the request's `Host` header is missing or not a
    /// plausible host name. Default `127.0.0.1:8080`.
    public var fallbackHost: String
    /// Items per page when `per_page` is absent: 15, as Laravel.
    public var defaultPerPage: Int
    /// The largest `per_page`; larger values are lowered to it. Default 100.
    public var maxPerPage: Int
    /// Bytes an upload body may carry beyond the file itself, for the multipart framing, part
    /// headers and the `dry_run` field: 64 KiB.
    public var multipartOverheadBytes: Int
    /// The largest JSON body of `trigger` and `retry`, in bytes: 64 KiB.
    public var maxJSONBodyBytes: Int

    /// Creates a configuration; `prefix` is normalised (see ``normalizedPrefix(_:)``) and falls
    /// back to the default when it is not a valid path.
    public init(
        prefix: String = "/api/v1/ingest", scheme: String = "http", fallbackHost: String = "127.0.0.1:8080",
        defaultPerPage: Int = 15, maxPerPage: Int = 100, multipartOverheadBytes: Int = 64 * 1024,
        maxJSONBodyBytes: Int = 64 * 1024
    ) {
        self.prefix = APIConfiguration.normalizedPrefix(prefix) ?? "/api/v1/ingest"
        self.scheme = scheme
        self.fallbackHost = fallbackHost
        self.defaultPerPage = max(1, defaultPerPage)
        self.maxPerPage = max(1, maxPerPage)
        self.multipartOverheadBytes = multipartOverheadBytes
        self.maxJSONBodyBytes = maxJSONBodyBytes
    }

    /// `prefix` with one leading and no trailing slash, or `nil` when it is not a plain path:
    /// segments may hold letters, digits and `-._~` only, so a prefix can never be mistaken for a
    /// route parameter (`:x`, `{x}`) or carry a query.
    public static func normalizedPrefix(_ prefix: String) -> String? {
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: true)
        for segment in segments {
            let valid = segment.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar))
            }
            if !valid || segment == "." || segment == ".." { return nil }
        }
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }
}
