import IngestSupport
/// Turns the bytes of a text file into validated UTF-8, block by block, for the CSV parser.
///
/// UTF-8 input is validated in place and passed through without copying; UTF-16 and the
/// single-byte code pages are transcoded into one reused buffer. Sequences cut by a block
/// boundary are carried over to the next block, so memory stays constant.
///
/// In auto mode the input is taken as UTF-8 until a byte proves otherwise; if that happens
/// before any multi-byte UTF-8 sequence was seen (everything so far was ASCII, which both
/// encodings share) the rest is read as Windows-1252. An invalid byte after valid multi-byte
/// UTF-8 is an error, as it is when UTF-8 was declared.
struct TextDecoder {
    enum Mode: Equatable {
        case utf8(autoFallback: Bool)
        case utf16(bigEndian: Bool)
        case singleByte(windows1252: Bool)
    }

    private(set) var mode: Mode
    /// Offset in the file of the next input byte (after any BOM).
    private var offset: Int64
    private var carry: [UInt8] = []
    private var carryOffset: Int64 = 0
    private var sawMultibyte = false
    private var output: [UInt8] = []
    private var pendingHighSurrogate: UInt32?

    /// The encoding currently in effect, for `detected`.
    var encoding: ReadOptions.Encoding {
        switch mode {
        case .utf8: return .utf8
        case .utf16: return .utf16
        case .singleByte(let w): return w ? .windows1252 : .iso88591
        }
    }

    init(mode: Mode, startOffset: Int64) {
        self.mode = mode
        self.offset = startOffset
    }

    typealias Sink = (UnsafeBufferPointer<UInt8>) throws(TabularError) -> Void

    /// Decodes one block, handing UTF-8 pieces to `sink` in order.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, _ sink: Sink) throws(TabularError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        defer { offset += Int64(input.count) }
        switch mode {
        case .utf8:
            try decodeUTF8(base, input.count, sink)
        case .utf16(let bigEndian):
            try decodeUTF16(base, input.count, bigEndian: bigEndian, sink)
        case .singleByte(let windows1252):
            try transcodeSingleByte(base, input.count, windows1252: windows1252, sink)
        }
    }

    /// Ends the stream: a sequence left incomplete is an error (or, in auto mode, Windows-1252).
    mutating func finish(_ sink: Sink) throws(TabularError) {
        guard !carry.isEmpty || pendingHighSurrogate != nil else { return }
        switch mode {
        case .utf8(let autoFallback):
            if autoFallback && !sawMultibyte {
                mode = .singleByte(windows1252: true)
                let bytes = carry
                carry = []
                try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(TabularError) in
                    if let base = b.baseAddress { try transcodeSingleByte(base, b.count, windows1252: true, sink) }
                }
            } else {
                throw TabularError(.invalidEncoding, "invalid UTF-8: file ends inside a multi-byte character", byteOffset: carryOffset)
            }
        case .utf16:
            throw TabularError(.invalidEncoding, "invalid UTF-16: file ends inside a character", byteOffset: carryOffset)
        case .singleByte:
            break
        }
    }

    // MARK: UTF-8

    private mutating func decodeUTF8(_ base: UnsafePointer<UInt8>, _ count: Int, _ sink: Sink) throws(TabularError) {
        var start = 0
        if !carry.isEmpty {
            // Complete the sequence cut by the previous block.
            let need = UTF8Validation.sequenceLength(lead: carry[0])
            while carry.count < need && start < count {
                carry.append(base[start])
                start += 1
            }
            var multibyte = sawMultibyte
            let outcome = carry.withUnsafeBufferPointer { b -> UTF8Validation.Outcome in
                guard let p = b.baseAddress else { return .valid }
                return UTF8Validation.validate(p, b.count, sawMultibyte: &multibyte)
            }
            sawMultibyte = multibyte
            switch outcome {
            case .valid:
                let bytes = carry
                carry = []
                try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(TabularError) in try sink(b) }
            case .incomplete:
                return  // block shorter than the missing bytes; wait for more
            case .invalid:
                if case .utf8(true) = mode, !sawMultibyte {
                    let bytes = carry
                    carry = []
                    mode = .singleByte(windows1252: true)
                    try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(TabularError) in
                        if let p = b.baseAddress { try transcodeSingleByte(p, b.count, windows1252: true, sink) }
                    }
                    if start < count { try transcodeSingleByte(base + start, count - start, windows1252: true, sink) }
                    return
                }
                throw TabularError(.invalidEncoding, "invalid UTF-8", byteOffset: carryOffset)
            }
        }
        guard start < count else { return }
        let p = base + start
        let n = count - start
        switch UTF8Validation.validate(p, n, sawMultibyte: &sawMultibyte) {
        case .valid:
            try sink(UnsafeBufferPointer(start: p, count: n))
        case .incomplete(let at):
            if at > 0 { try sink(UnsafeBufferPointer(start: p, count: at)) }
            carry = Array(UnsafeBufferPointer(start: p + at, count: n - at))
            carryOffset = offset + Int64(start + at)
        case .invalid(let at):
            if at > 0 { try sink(UnsafeBufferPointer(start: p, count: at)) }
            if case .utf8(true) = mode, !sawMultibyte {
                mode = .singleByte(windows1252: true)
                try transcodeSingleByte(p + at, n - at, windows1252: true, sink)
                return
            }
            throw TabularError(.invalidEncoding, "invalid UTF-8", byteOffset: offset + Int64(start + at))
        }
    }

    // MARK: single-byte code pages

    private mutating func transcodeSingleByte(_ base: UnsafePointer<UInt8>, _ count: Int, windows1252: Bool, _ sink: Sink) throws(TabularError) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(count + count / 2)
        for k in 0..<count {
            let b = base[k]
            if b < 0x80 {
                output.append(b)
            } else {
                Self.appendUTF8(SingleByteCodePage.scalar(of: b, windows1252: windows1252), to: &output)
            }
        }
        try flushOutput(sink)
    }

    // MARK: UTF-16

    private mutating func decodeUTF16(_ base: UnsafePointer<UInt8>, _ count: Int, bigEndian: Bool, _ sink: Sink) throws(TabularError) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(count * 3 / 2 + 4)
        var k = 0
        var unitOffset = offset
        func nextUnit(_ a: UInt8, _ b: UInt8) -> UInt32 {
            bigEndian ? UInt32(a) << 8 | UInt32(b) : UInt32(b) << 8 | UInt32(a)
        }
        while k < count {
            let unit: UInt32
            if !carry.isEmpty {
                unit = nextUnit(carry[0], base[k])
                unitOffset = carryOffset
                carry.removeAll()
                k += 1
            } else if k + 1 < count {
                unit = nextUnit(base[k], base[k + 1])
                unitOffset = offset + Int64(k)
                k += 2
            } else {
                carry = [base[k]]
                carryOffset = offset + Int64(k)
                k += 1
                break
            }
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                guard (0xDC00...0xDFFF).contains(unit) else {
                    // The text before the bad unit is good: hand it on, as the UTF-8 path does.
                    try flushOutput(sink)
                    throw TabularError(.invalidEncoding, "invalid UTF-16: unpaired surrogate", byteOffset: unitOffset - 2)
                }
                Self.appendUTF8(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &output)
            } else if (0xD800...0xDBFF).contains(unit) {
                pendingHighSurrogate = unit
                if carry.isEmpty { carryOffset = unitOffset }
            } else if (0xDC00...0xDFFF).contains(unit) {
                try flushOutput(sink)
                throw TabularError(.invalidEncoding, "invalid UTF-16: unpaired surrogate", byteOffset: unitOffset)
            } else {
                Self.appendUTF8(unit, to: &output)
            }
        }
        try flushOutput(sink)
    }

    private mutating func flushOutput(_ sink: Sink) throws(TabularError) {
        guard !output.isEmpty else { return }
        let bytes = output
        try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(TabularError) in try sink(b) }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) { JSONScanning.appendUTF8(scalar, to: &out) }
}
