/// A small deterministic generator (SplitMix64), so a failing fuzz case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Bytes biased towards what the parsers care about: separators, digits, letters, and some of everything.
    mutating func bytes(maxCount: Int) -> [UInt8] {
        let interesting = Array(" :_qlogut0123456789\n\r\0.-OKERRUSERPRESENCEBYE".utf8)
        let count = Int.random(in: 0...maxCount, using: &self)
        return (0..<count).map { _ in
            Bool.random(using: &self) ? interesting.randomElement(using: &self)! : UInt8.random(in: 0...255, using: &self)
        }
    }

    /// `valid` with a few random flips, insertions, deletions or a truncation.
    mutating func mutate(_ valid: [UInt8]) -> [UInt8] {
        var bytes = valid
        for _ in 0..<Int.random(in: 1...4, using: &self) {
            switch Int.random(in: 0..<4, using: &self) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: bytes.indices, using: &self)] = UInt8.random(in: 0...255, using: &self)
            case 1:
                bytes.insert(UInt8.random(in: 0...255, using: &self), at: Int.random(in: 0...bytes.count, using: &self))
            case 2 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: bytes.indices, using: &self))
            case 3:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &self)))
            default:
                break
            }
        }
        return bytes
    }

    /// Cuts `bytes` into consecutive pieces of random sizes (some empty), as TCP may deliver them.
    mutating func split(_ bytes: [UInt8], maxPiece: Int = 8) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let size = Int.random(in: 0...min(rest.count, maxPiece), using: &self)
            pieces.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}
