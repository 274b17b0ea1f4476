import NIOCore

/// Writes each string as one `\n`-terminated line.
public struct LineEncoder: MessageToByteEncoder {
    public typealias OutboundIn = String

    public init() {}

    public func encode(data line: String, out: inout ByteBuffer) throws {
        out.writeString(line)
        out.writeInteger(UInt8(ascii: "\n"))
    }
}
