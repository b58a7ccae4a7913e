// libFuzzer entry for the `json` target: see Fuzz/README.md.
/// One scratch file for the whole run; libFuzzer calls the entry from one thread.
nonisolated(unsafe) let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzReport(JSONFuzz.check(fuzzBytes(data, size), scratch: scratch))
    return 0
}
