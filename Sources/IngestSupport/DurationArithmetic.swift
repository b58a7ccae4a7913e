/// `Duration` in the units system calls and timers want.
extension Duration {
    /// The duration in seconds, as a `Double` (`Thread.sleep`, `NSCondition.wait(until:)`).
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole milliseconds, rounded down (timeouts of curl and log lines).
    package var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// A `poll()` timeout in milliseconds that never wakes before the duration has passed:
    /// rounded up, at least 0, clamped to `Int32`.
    package var pollMilliseconds: Int32 {
        if self <= .zero { return 0 }
        return Int32(clamping: wholeMilliseconds + 1)
    }
}
