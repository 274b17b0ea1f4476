/// A resumption token of the modern locator protocol: 32 random bytes, written as 64 lowercase
/// hex digits. `TOKEN` hands one out to a logged-in client; `RESUME` spends it once to log in again
/// without the password, which spares the locator a password hash when many clients come back
/// at once (a replica died and its clients move to another).
public struct ResumeToken: Sendable, Hashable, CustomStringConvertible {
    public static let hexLength = 64
    public let text: String

    /// A token read from a line: exactly `hexLength` lowercase hex digits, else nil.
    public init?(text: some StringProtocol) {
        guard text.utf8.count == Self.hexLength,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        else { return nil }
        self.text = String(text)
    }

    /// A new token from the system's cryptographic random source (getrandom on Linux).
    public static func random() -> ResumeToken {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<Self.hexLength / 16).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
        return ResumeToken(text: hex)!
    }

    /// Never the token itself: logs and error messages must not leak it.
    public var description: String { "ResumeToken(\(text.prefix(4))…)" }
}
