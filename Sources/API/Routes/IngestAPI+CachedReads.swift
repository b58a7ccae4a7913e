import Engine
import HTTP

/// The read cache in front of `GET /`, `GET /{id}` and `GET /{id}/errors/summary` (``ReadCache``).
extension IngestAPI {
    /// A body built for the read cache, and whether it may be kept: a body showing a
    /// `processing` run is not, since its `rows_per_second` and `eta_seconds` follow the clock
    /// between commits.
    struct CacheableBody {
        var bytes: [UInt8]
        var keep = true
    }

    /// `200` with the body kept under `key` while nothing in the database changed, otherwise
    /// with the body `build` makes (which is kept when it says so).
    ///
    /// The change counter is read *before* the body is built, so a commit that lands while it is
    /// built moves the counter past the entry's and the next read builds again. The one read
    /// when `token` was checked serves (it was read before too), so a request reads it once.
    func cachedRead(_ key: String, token: AuthenticatedToken?, build: (RunStore) throws -> CacheableBody) throws -> HTTPResponse {
        guard let version = token?.changeEpoch ?? changes.version() else {
            return .json(bytes: try stores.withStore(build).bytes)
        }
        if let kept = readCache.body(key, version: version) { return .json(bytes: kept) }
        let body = try stores.withStore(build)
        if body.keep { readCache.store(key, ReadCache.Entry(version: version, body: body.bytes)) }
        return .json(bytes: body.bytes)
    }
}
