import Foundation

/// The `fmt ` and `data` chunks of a RIFF/WAVE file, as far as decoding PCM needs them.
struct WAVFormat {
    enum Encoding { case integer, float }

    let encoding: Encoding
    let channels: Int
    let sampleRate: Int
    let bitsPerSample: Int
    let data: Range<Int>

    init(parsing bytes: Data, path: String) throws(AudioError) {
        let bytes = [UInt8](bytes)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else {
            throw .unsupportedWAV(path: path, reason: "not a RIFF/WAVE file")
        }
        var format: (code: Int, channels: Int, rate: Int, bits: Int)?
        var data: Range<Int>?
        var offset = 12
        while offset + 8 <= bytes.count, data == nil {
            let size = u32(offset + 4)
            let body = offset + 8
            switch tag(offset) {
            case "fmt " where size >= 16 && body + 16 <= bytes.count:
                var code = u16(body)
                // WAVE_FORMAT_EXTENSIBLE keeps the real format code in its sub-format GUID.
                if code == 0xFFFE, size >= 26, body + 26 <= bytes.count { code = u16(body + 24) }
                format = (code, u16(body + 2), u32(body + 4), u16(body + 14))
            case "data":
                // Streaming writers leave the size at 0 or 0xFFFFFFFF: take what is there.
                let end = size == 0 || size == 0xFFFF_FFFF ? bytes.count : min(bytes.count, body + size)
                data = body..<end
            default:
                break
            }
            offset = body + size + (size & 1)
        }
        guard let format else { throw .unsupportedWAV(path: path, reason: "no fmt chunk") }
        guard let data else { throw .unsupportedWAV(path: path, reason: "no data chunk") }
        switch (format.code, format.bits) {
        case (1, 8), (1, 16), (1, 24), (1, 32): encoding = .integer
        case (3, 32): encoding = .float
        default:
            throw .unsupportedWAV(path: path, reason: "format \(format.code) with \(format.bits)-bit samples (PCM or 32-bit float expected)")
        }
        guard (1...32).contains(format.channels) else { throw .unsupportedWAV(path: path, reason: "\(format.channels) channels") }
        guard (8_000...384_000).contains(format.rate) else { throw .unsupportedWAV(path: path, reason: "sample rate \(format.rate) Hz") }
        channels = format.channels
        sampleRate = format.rate
        bitsPerSample = format.bits
        self.data = data
    }

    /// The data chunk as samples in [-1, 1), channels averaged to mono.
    func monoSamples(_ file: Data) -> [Float] {
        let width = bitsPerSample / 8
        let frameWidth = width * channels
        let frames = data.count / frameWidth
        return file.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            func sample(_ at: Int) -> Float {
                switch (encoding, width) {
                case (.integer, 1): return (Float(bytes[at]) - 128) / 128
                case (.integer, 2): return Float(Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)) / 32768
                case (.integer, 3):
                    let value = Int32(bitPattern: UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 24)
                    return Float(value) / 2_147_483_648
                case (.integer, _):
                    let value = Int32(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
                    return Float(value) / 2_147_483_648
                case (.float, _):
                    let value = Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
                    return value.isFinite ? max(-1, min(1, value)) : 0
                }
            }
            return (0..<frames).map { frame in
                let start = data.lowerBound + frame * frameWidth
                var sum: Float = 0
                for channel in 0..<channels { sum += sample(start + channel * width) }
                return sum / Float(channels)
            }
        }
    }
}
