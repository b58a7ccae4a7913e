// Compiled into every libFuzzer target (see Fuzz/run.sh).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The input libFuzzer passes, as bytes.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A harness's problems are bugs: print them and abort, so libFuzzer saves the input.
func fuzzReport(_ problems: [String]) {
    guard !problems.isEmpty else { return }
    for problem in problems {
        let line = Array("fuzz check failed: \(problem)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
    abort()
}
