@preconcurrency import COpus

/// A failure inside libopus, with its own description.
public struct OpusError: Error, Equatable, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "Opus \(operation) failed: \(String(cString: opus_strerror(code)))"
    }
}
