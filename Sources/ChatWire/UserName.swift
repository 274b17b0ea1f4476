/// The rules for a user id, shared by the locator, the engine and the shell.
///
/// A name is 1...32 characters of ASCII letters, digits, `.`, `_` and `-`, and does not start
/// with `-` or `.` (so it never looks like an option or a hidden file). Legacy course ids are
/// exactly ten digits, which the rules above also allow.
public enum UserName {
    public static let maxLength = 32

    public static func isValid(_ name: some StringProtocol) -> Bool {
        guard (1...maxLength).contains(name.utf8.count), let first = name.utf8.first else { return false }
        guard first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return false }
        return name.utf8.allSatisfy(isNameByte)
    }

    /// Whether `name` is a course-server id: ten ASCII digits.
    public static func isLegacyID(_ name: some StringProtocol) -> Bool {
        name.utf8.count == 10 && name.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// A one-line explanation for the user when `isValid` says no.
    public static let rule = "a user id is 1 to 32 letters, digits, '.', '_' or '-', not starting with '-' or '.'"

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
