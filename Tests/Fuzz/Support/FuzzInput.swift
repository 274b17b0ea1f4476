/// One input from libFuzzer: its first byte says how to cut the rest into pieces (as TCP may
/// deliver them), so that the fuzzer explores the splits along with the bytes.
public struct FuzzInput {
    public let body: [UInt8]
    private let cut: UInt8

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        cut = bytes.first ?? 0
        body = Array(bytes.dropFirst())
    }

    /// The body as text, invalid UTF-8 repaired as a channel's `readString` repairs it.
    public var text: String {
        String(decoding: body, as: UTF8.self)
    }

    /// The body in consecutive pieces of 0 to 7 bytes, their sizes drawn from the cut byte.
    public var pieces: [[UInt8]] {
        var pieces: [[UInt8]] = []
        var rest = body[...]
        var state = UInt32(cut)
        while !rest.isEmpty {
            state = state &* 1_103_515_245 &+ 12345
            let size = Int((state >> 16) % 8)
            pieces.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}
