// libFuzzer entry for the `definition` target: see Fuzz/README.md.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzReport(DefinitionFuzz.check(fuzzBytes(data, size)))
    return 0
}
