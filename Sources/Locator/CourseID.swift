/// A course id (ten ASCII digits) as a number: the key of course queries, read straight from the
/// request bytes without building a `String`.
enum CourseID {
    static func key(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count == 10 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
        }
        return value
    }
}
