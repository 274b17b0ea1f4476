/// A course-protocol request read straight from its bytes, with the same rules as `LegacyRequest`
/// (ten-digit ids; a trailing `\n` or `\r\n` tolerated), but without building strings: a query
/// is answered from a number.
enum CourseRequestBytes: Equatable {
    case login(key: UInt64, id: Range<Int>, password: Range<Int>)
    case query(key: UInt64, id: Range<Int>)
    case logout(key: UInt64, id: Range<Int>)

    var id: Range<Int> {
        switch self {
        case .login(_, let id, _), .query(_, let id), .logout(_, let id): id
        }
    }

    private static let logoutPrefix = Array("logout".utf8)

    /// `nil` means the course server's "Please send the correct message."
    init?(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        if end > 0, bytes[end - 1] == UInt8(ascii: "\n") {
            end -= 1
            if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        }
        guard end > 0 else { return nil }
        if end == 16, bytes.starts(with: Self.logoutPrefix) {
            guard let key = CourseID.key(bytes[6..<16]) else { return nil }
            self = .logout(key: key, id: 6..<16)
        } else if bytes[0] == UInt8(ascii: "q") {
            guard end == 11, let key = CourseID.key(bytes[1..<11]) else { return nil }
            self = .query(key: key, id: 1..<11)
        } else if end > 11, bytes[10] == UInt8(ascii: "_"), let key = CourseID.key(bytes[0..<10]) {
            self = .login(key: key, id: 0..<10, password: 11..<end)
        } else {
            return nil
        }
    }
}
