import Locator
import Testing

@Suite("PasswordHasher")
struct PasswordHasherTests {
    let hasher = PasswordHasher(costExponent: 10)

    @Test("a hash verifies its password and no other")
    func verifies() throws {
        let hash = try hasher.hash("correct horse")
        #expect(hasher.verify("correct horse", against: hash))
        #expect(!hasher.verify("correct hors", against: hash))
        #expect(!hasher.verify("Correct horse", against: hash))
        #expect(!hasher.verify("", against: hash))
    }

    @Test("the stored form names its parameters, and is salted: the same password hashes differently")
    func format() throws {
        let first = try hasher.hash("pw")
        let second = try hasher.hash("pw")
        #expect(first != second)
        let parts = first.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 6)
        #expect(parts.first == "scrypt")
        #expect(parts[1] == "1024")
        #expect(parts[2] == "8")
        #expect(parts[3] == "1")
        #expect(parts[4].count == 32)
        #expect(parts[5].count == 64)
        #expect(!first.contains("pw$") && !first.hasSuffix("pw"))
    }

    @Test("a hash made at one cost verifies under a hasher of another (the cost can rise later)")
    func costTravelsWithTheHash() throws {
        let old = try PasswordHasher(costExponent: 11).hash("pw")
        #expect(hasher.verify("pw", against: old))
    }

    @Test(
        "a malformed stored hash never matches",
        arguments: [
            "", "pw", "scrypt", "scrypt$1024$8$1$00$", "bcrypt$1024$8$1$00$00", "scrypt$x$8$1$00$00",
            "scrypt$1024$8$1$zz$00", "scrypt$1024$8$1$000$00", "scrypt$1000$8$1$00$00", "scrypt$1024$8$1$00$00$00",
        ])
    func malformed(stored: String) {
        #expect(!hasher.verify("pw", against: stored))
        #expect(!hasher.verify("", against: stored))
    }
}
