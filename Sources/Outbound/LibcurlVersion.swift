import CCurl

extension OutboundHTTPClient {
    /// The libcurl this binary runs with (`curl_version_info`), e.g. "8.5.0".
    package static var libcurlVersion: String {
        guard let info = curl_version_info(CURLVERSION_FIRST), let version = info.pointee.version else { return "unknown" }
        return String(cString: version)
    }
}
