/// Placeholder replaced by the streaming XLSX reader.
public final class XLSXReader: TableReader {
    public init(path: String, options: ReadOptions) throws(TabularError) {
        throw TabularError(.unsupportedFormat, "XLSX is not supported yet")
    }
    public func readHeader() throws(TabularError) -> [String]? { nil }
    public func nextRow() throws(TabularError) -> TableRow? { nil }
    public var bytesRead: Int64 { 0 }
    public var totalBytes: Int64? { nil }
    public var detected: [String: String] { [:] }
}
