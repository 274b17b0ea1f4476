import ChatIdentity
import Foundation
import Testing

@Suite("Fingerprint")
struct FingerprintTests {
    /// SHA-256 of no bytes: a published test vector, so the digest is checked, not just echoed.
    let empty = Fingerprint(publicKeyDER: [UInt8]())
    let emptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test("hex is 64 lowercase digits of the SHA-256 digest")
    func hexIsTheDigest() {
        #expect(self.empty.hex == self.emptyHex)
        #expect(self.empty.bytes.count == 32)
    }

    @Test("grouped is uppercase in 16 groups of 4, short is the first 4 groups")
    func humanForms() {
        #expect(self.empty.grouped == "E3B0 C442 98FC 1C14 9AFB F4C8 996F B924 27AE 41E4 649B 934C A495 991B 7852 B855")
        #expect(self.empty.short == "E3B0 C442 98FC 1C14")
        #expect(self.empty.description == self.empty.grouped)
    }

    @Test("hex parses back, in either case")
    func parsesItsOwnHex() {
        #expect(Fingerprint(hex: self.emptyHex) == self.empty)
        #expect(Fingerprint(hex: self.emptyHex.uppercased()) == self.empty)
        let other = Fingerprint(publicKeyDER: Array("another key".utf8))
        #expect(Fingerprint(hex: other.hex) == other)
        #expect(other != self.empty)
    }

    @Test(
        "hostile or malformed hex is rejected",
        arguments: [
            "",
            String(repeating: "a", count: 63),
            String(repeating: "a", count: 65),
            String(repeating: "a", count: 128),
            "0x" + String(repeating: "a", count: 62),
            "E3B0 C442 98FC 1C14 9AFB F4C8 996F B924 27AE 41E4 649B 934C A495 991B 7852 B855",
            String(repeating: "g", count: 64),
            " " + String(repeating: "a", count: 63),
            String(repeating: "a", count: 63) + "\n",
            String(repeating: "a", count: 63) + "\0",
            "+" + String(repeating: "a", count: 63),
            "-" + String(repeating: "a", count: 63),
            // Full-width and Arabic-Indic digits: "digits" to Unicode, not to the wire format.
            String(repeating: "\u{FF11}", count: 64),
            String(repeating: "\u{0661}", count: 64),
            // 64 Characters but more than 64 bytes: an 'a' with a combining accent.
            "a\u{0301}" + String(repeating: "a", count: 63),
            String(repeating: "\u{1F511}", count: 64),
        ]
    )
    func rejectsMalformedHex(_ text: String) {
        #expect(Fingerprint(hex: text) == nil)
    }

    @Test("Codable uses the hex wire form and rejects anything else")
    func codable() throws {
        let data = try JSONEncoder().encode([self.empty])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(self.emptyHex)\"]")
        #expect(try JSONDecoder().decode([Fingerprint].self, from: data) == [self.empty])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Fingerprint].self, from: Data("[\"not a fingerprint\"]".utf8))
        }
    }
}
