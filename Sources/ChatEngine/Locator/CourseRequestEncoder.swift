import NIOCore

/// Writes each course-protocol request as its bare bytes: the protocol has no terminator, a
/// request is what one `send()` carried.
struct CourseRequestEncoder: MessageToByteEncoder {
    typealias OutboundIn = String

    func encode(data request: String, out: inout ByteBuffer) throws {
        out.writeString(request)
    }
}
