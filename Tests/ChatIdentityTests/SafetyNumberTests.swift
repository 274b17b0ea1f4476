import ChatIdentity
import Testing

@Suite("SafetyNumber: the number two friends read to each other")
struct SafetyNumberTests {
    static let alice = (user: "alice", fingerprint: Fingerprint(publicKeyDER: Array("alice's key".utf8)))
    static let bob = (user: "bob", fingerprint: Fingerprint(publicKeyDER: Array("bob's key".utf8)))

    @Test("both friends see the same twelve groups of five digits")
    func sameOnBothSides() {
        let seenByAlice = SafetyNumber(Self.alice, Self.bob), seenByBob = SafetyNumber(Self.bob, Self.alice)
        #expect(seenByAlice == seenByBob)
        #expect(seenByAlice.digits.count == 60)
        let onlyDigits = seenByAlice.digits.allSatisfy { $0.isNumber }
        #expect(onlyDigits)
        let groups = seenByAlice.grouped.split(separator: " ")
        #expect(groups.count == 12)
        let fives = groups.allSatisfy { $0.count == 5 }
        #expect(fives)
    }

    @Test("a new key, or the same key under another name, gives another number")
    func changesWithKeyOrName() {
        let original = SafetyNumber(Self.alice, Self.bob)
        let newKey = (user: "bob", fingerprint: Fingerprint(publicKeyDER: Array("mallory's key".utf8)))
        #expect(SafetyNumber(Self.alice, newKey) != original)
        #expect(SafetyNumber(Self.alice, (user: "bobby", fingerprint: Self.bob.fingerprint)) != original)
    }

    @Test("the number for given keys never changes between versions of p2pchat")
    func stableAcrossVersions() {
        // Friends who compared numbers once must not be told later that they differ. The value was
        // computed independently (Python hashlib) from the algorithm described on the type.
        #expect(SafetyNumber(Self.alice, Self.bob).grouped == "81298 71175 01657 59600 88639 14143 96943 30729 13973 11025 23849 48798")
    }
}
