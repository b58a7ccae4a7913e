import Foundation
import HTTP

/// The web dashboard: one HTML page, a style sheet, a script and an icon, compiled into the
/// binary (``DashboardAssets``) and served at `/`, outside the API's prefix.
///
/// The page calls the API with the session cookie (`POST /session` signs in) and the CSRF
/// token; it has no build step, no framework and loads nothing from elsewhere. Every asset is
/// served with a Content-Security-Policy of `default-src 'self'` (no inline script or style can
/// run, so an injected tag does nothing), `X-Content-Type-Options: nosniff`,
/// `X-Frame-Options: DENY` and `Referrer-Policy: no-referrer`.
enum Dashboard {
    /// The Content-Security-Policy of every dashboard response.
    static let contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Registers `/`, `/index.html` and `/assets/*` on `router`. The page learns the API prefix
    /// from a `<meta name="ingest-api">` tag.
    static func register(on router: inout Router, apiPrefix: String) {
        let page = Array(DashboardAssets.html.replacingOccurrences(of: "{{API_PREFIX}}", with: apiPrefix).utf8)
        let anonymous = RouteOptions(maxBodyBytes: 0, admission: { request in
            try IngestAPI.refuseTokenInURL(request)
            return .anonymous
        })
        for path in ["/", "/index.html"] {
            router.get(path, options: anonymous) { _ in asset(page, type: "text/html; charset=utf-8") }
        }
        let assets: [(String, String, [UInt8])] = [
            ("/assets/dashboard.js", "text/javascript; charset=utf-8", Array(DashboardAssets.script.utf8)),
            ("/assets/dashboard.css", "text/css; charset=utf-8", Array(DashboardAssets.styles.utf8)),
            ("/assets/icon.svg", "image/svg+xml", Array(DashboardAssets.icon.utf8)),
        ]
        for (path, type, bytes) in assets {
            router.get(path, options: anonymous) { _ in asset(bytes, type: type) }
        }
    }

    /// `200` with `bytes` and the dashboard's security headers.
    static func asset(_ bytes: [UInt8], type: String) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: [
            "Content-Type": type,
            "Content-Security-Policy": contentSecurityPolicy,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        ], body: .bytes(bytes))
    }
}
