import ChatIdentity
import Testing

@Suite("PinMismatchError")
struct PinMismatchErrorTests {
    @Test("the warning names both fingerprints, grouped, on one line")
    func describesBothFingerprints() {
        let expected = Fingerprint(publicKeyDER: Array("pinned".utf8))
        let presented = Fingerprint(publicKeyDER: Array("impostor".utf8))
        let text = PinMismatchError(expected: expected, presented: presented).description
        #expect(text.contains("Expected fingerprint: \(expected.grouped)"))
        #expect(text.contains("Presented fingerprint: \(presented.grouped)"))
        #expect(text.contains("HAS CHANGED"))
        #expect(!text.contains("\n"))
    }
}
