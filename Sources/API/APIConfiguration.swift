import Foundation
import HTTP

/// How the API presents itself: where it is mounted and its paging and body limits.
package struct APIConfiguration: Sendable {
    /// The path prefix of every route, normalised: a leading `/`, no trailing `/`; `""` mounts
    /// the API at the root. Default `/api/v1/ingest`, as in the seed.
    package private(set) var prefix: String
    /// The public base URL of the API's server, as clients reach it (scheme, host, optional port
    /// and path, normalised without a trailing `/`), e.g. `https://ingest.example.com`:
    /// pagination links are this plus the prefix. `nil` (the default): links are relative to the
    /// server root (`/api/v1/ingest?page=2`), which a client resolves against the URL it
    /// requested. The request's `Host` header is never used. See ``normalizedPublicURL(_:)``.
    package var publicURL: String?
    /// Items per page when `per_page` is absent: 15, as Laravel.
    package var defaultPerPage: Int
    /// The largest `per_page`; larger values are lowered to it. Default 100.
    package var maxPerPage: Int
    /// Bytes an upload body may carry beyond the file itself, for the multipart framing, part
    /// headers and the `dry_run` field: 64 KiB.
    package var multipartOverheadBytes: Int
    /// The largest JSON body of `trigger` and `retry`, in bytes: 64 KiB.
    package var maxJSONBodyBytes: Int
    /// How long a dashboard session lasts from sign-in: 12 hours. There is no sliding renewal;
    /// signing in again starts a new one.
    package var sessionLifetime: Duration = .seconds(12 * 3600)
    /// Whether the session cookie is `Secure`: when ``publicURL`` is `https://…` (the server
    /// itself speaks plain HTTP, so TLS is a reverse proxy's, named by `--public-url`).
    package var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
    /// Bounds on an upload form besides its file (whose limit is the importer's `max_size_mb`):
    /// at most 16 parts, 8 KiB of headers per part, 16 KiB per non-file field (they are held in
    /// memory) and 8 KiB of preamble before the first boundary.
    package var uploadFormLimits: MultipartLimits

    /// Creates a configuration; `prefix` is normalised (see ``normalizedPrefix(_:)``) and falls
    /// back to the default when it is not a valid path.
    package init(
        prefix: String = "/api/v1/ingest", publicURL: String? = nil,
        defaultPerPage: Int = 15, maxPerPage: Int = 100, multipartOverheadBytes: Int = 64 * 1024,
        maxJSONBodyBytes: Int = 64 * 1024,
        uploadFormLimits: MultipartLimits = MultipartLimits(maxParts: 16, maxPartHeaderBytes: 8 * 1024, maxFieldBytes: 16 * 1024,
                                                            maxPreambleBytes: 8 * 1024)
    ) {
        self.prefix = APIConfiguration.normalizedPrefix(prefix) ?? "/api/v1/ingest"
        self.publicURL = publicURL.flatMap(APIConfiguration.normalizedPublicURL)
        self.defaultPerPage = max(1, defaultPerPage)
        self.maxPerPage = max(1, maxPerPage)
        self.multipartOverheadBytes = multipartOverheadBytes
        self.maxJSONBodyBytes = maxJSONBodyBytes
        self.uploadFormLimits = uploadFormLimits
    }

    /// `prefix` with one leading and no trailing slash, or `nil` when it is not a plain path:
    /// segments may hold letters, digits and `-._~` only, so a prefix can never be mistaken for a
    /// route parameter (`:x`, `{x}`) or carry a query.
    package static func normalizedPrefix(_ prefix: String) -> String? {
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: true)
        for segment in segments {
            let valid = segment.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar))
            }
            if !valid || segment == "." || segment == ".." { return nil }
        }
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }

    /// `url` without a trailing `/`, or `nil` unless it is an absolute `http` or `https` URL with
    /// a host and no user info, query or fragment (`https://ingest.example.com`,
    /// `http://10.0.0.5:8080/tools`).
    package static func normalizedPublicURL(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
              url.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
