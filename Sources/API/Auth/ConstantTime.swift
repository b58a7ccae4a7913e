/// Comparisons whose duration does not depend on where the inputs differ.
///
/// An early-exit `==` on secrets lets a client learn, from response times, how many leading
/// bytes of a guess are right. Comparing fixed-length hashes without branching on the bytes
/// takes that signal away.
enum ConstantTime {
    /// Whether `a` and `b` are equal, examining every byte whenever the lengths match.
    static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
