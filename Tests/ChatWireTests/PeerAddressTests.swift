import ChatWire
import Testing

@Suite("PeerAddress")
struct PeerAddressTests {
    @Test("a fingerprint in wire form is exactly 64 lowercase hex digits")
    func fingerprintForm() {
        #expect(PeerAddress.isFingerprint(String(repeating: "0123456789abcdef", count: 4)))
        #expect(!PeerAddress.isFingerprint(String(repeating: "0123456789ABCDEF", count: 4)))
        #expect(!PeerAddress.isFingerprint(String(repeating: "a", count: 63)))
        #expect(!PeerAddress.isFingerprint(String(repeating: "a", count: 65)))
        #expect(!PeerAddress.isFingerprint(String(repeating: "g", count: 64)))
        #expect(!PeerAddress.isFingerprint(""))
        #expect(!PeerAddress.isFingerprint("-"))
    }
}
