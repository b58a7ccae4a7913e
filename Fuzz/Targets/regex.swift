// libFuzzer entry for the `regex` target: see Fuzz/README.md.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzReport(RegexFuzz.check(fuzzBytes(data, size)))
    return 0
}
