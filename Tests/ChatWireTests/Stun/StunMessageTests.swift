import ChatWire
import Crypto
import Foundation
import Testing

@Suite("StunMessage")
struct StunMessageTests {
    /// MESSAGE-INTEGRITY's HMAC-SHA1 under `key`, as the engine computes it.
    private func mac(key: [UInt8]) -> StunMessage.MAC {
        { bytes in Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: SymmetricKey(data: key))) }
    }

    private var shortTermMAC: StunMessage.MAC { mac(key: Array(StunVectors.shortTermPassword.utf8)) }

    private var longTermMAC: StunMessage.MAC {
        mac(key: Array(Insecure.MD5.hash(data: Array("\(StunVectors.longTermUser):example.org:TheMatrIX".utf8))))
    }

    @Test("RFC 5769 §2.1: the sample request parses, its integrity and fingerprint check out")
    func sampleRequest() throws {
        let received = try StunMessage.parse(StunVectors.request)
        #expect(received.message.type == StunMessageType(.binding, .request))
        #expect(received.message.transactionID.description == "b7e7a701bc34d686fa87dfae")
        #expect(received.message.attributes == [
            .software("STUN test client"),
            .other(type: 0x0024, value: [0x6E, 0x00, 0x01, 0xFF]),
            .other(type: 0x8029, value: [0x93, 0x2F, 0xF9, 0xB1, 0x51, 0x26, 0x3B, 0x36]),
            .username("evtj:h6vY"),
        ])
        #expect(received.isAuthentic(mac: shortTermMAC))
        #expect(!received.isAuthentic(mac: mac(key: Array("VOkJxbRl1RmTxUk/WvJxBT".utf8))))
    }

    @Test("RFC 5769 §2.2: the IPv4 response gives 192.0.2.1:32853")
    func ipv4Response() throws {
        let received = try StunMessage.parse(StunVectors.ipv4Response)
        #expect(received.message.type == StunMessageType(.binding, .successResponse))
        #expect(received.message.attributes == [
            .software("test vector"),
            .xorMappedAddress(StunAddress(addressBytes: [192, 0, 2, 1], port: 32853)!),
        ])
        #expect(received.isAuthentic(mac: shortTermMAC))
    }

    @Test("RFC 5769 §2.3: the IPv6 response gives [2001:db8:1234:5678:11:2233:4455:6677]:32853")
    func ipv6Response() throws {
        let received = try StunMessage.parse(StunVectors.ipv6Response)
        guard case .xorMappedAddress(let address) = received.message.attributes.last else {
            Issue.record("no XOR-MAPPED-ADDRESS in \(received.message.attributes)")
            return
        }
        #expect(address.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
        #expect(received.isAuthentic(mac: shortTermMAC))
    }

    @Test("RFC 5769 §2.4: long-term credentials (key MD5 of user:realm:password) check out, and encoding gives the same bytes")
    func longTermRequest() throws {
        let received = try StunMessage.parse(StunVectors.longTermRequest)
        #expect(received.message.attributes == [
            .username(StunVectors.longTermUser), .nonce("f//499k954d6OL34oL9FSTvy64sA"), .realm("example.org"),
        ])
        #expect(received.isAuthentic(mac: longTermMAC))
        #expect(received.message.encoded(integrity: longTermMAC) == StunVectors.longTermRequest)
    }

    @Test("a message encoded with integrity and fingerprint parses back to itself and authenticates")
    func roundTrip() throws {
        let peer = StunAddress(addressBytes: [10, 0, 0, 7], port: 40123)!
        let message = StunMessage(type: StunMessageType(.connect, .request), attributes: [
            .xorPeerAddress(peer), .username("1700000000:alice"), .realm("p2pchat"), .nonce("abc"),
            .requestedTransport(StunAttribute.tcpTransport), .lifetime(600), .connectionID(0xDEAD_BEEF),
            .channelNumber(0x4001), .data([1, 2, 3, 4, 5]), .errorCode(StunErrorCode(code: 438, reason: "Stale Nonce")!),
            .unknownAttributes([0x0024, 0x8029]),
        ])
        let bytes = message.encoded(integrity: shortTermMAC, fingerprint: true)
        #expect(bytes.count % 4 == 0)
        let received = try StunMessage.parse(bytes)
        #expect(received.message == message)
        #expect(received.isAuthentic(mac: shortTermMAC))
        #expect(!received.isAuthentic(mac: longTermMAC))
    }

    @Test("every method and class survives the interleaved message type")
    func messageTypes() {
        for method in [StunMethod.binding, .allocate, .refresh, .send, .data, .createPermission, .channelBind,
                       .connect, .connectionBind, .connectionAttempt, StunMethod(rawValue: 0xFFF)!] {
            for messageClass in StunClass.allCases {
                let type = StunMessageType(method, messageClass)
                #expect(StunMessageType(rawValue: type.rawValue) == type)
            }
        }
        #expect(StunMessageType(.allocate, .errorResponse).rawValue == 0x0113)
        #expect(StunMessageType(.data, .indication).rawValue == 0x0017)
        #expect(StunMessageType(.connectionBind, .request).rawValue == 0x000B)
    }

    @Test("a changed byte fails the fingerprint; a changed byte before the MAC fails integrity")
    func tampering() throws {
        var changed = StunVectors.request
        changed[30] ^= 0x01  // inside SOFTWARE
        #expect(throws: StunError.fingerprintMismatch) { try StunMessage.parse(changed) }

        var noFingerprint = Array(StunVectors.longTermRequest)
        noFingerprint[30] ^= 0x01  // inside USERNAME
        let received = try StunMessage.parse(noFingerprint)
        #expect(!received.isAuthentic(mac: longTermMAC))
    }

    @Test("attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored")
    func afterIntegrity() throws {
        var bytes = StunVectors.longTermRequest + [0x80, 0x22, 0x00, 0x04] + Array("evil".utf8)
        bytes[3] += 8
        let received = try StunMessage.parse(bytes)
        #expect(received.message.attributes.count == 3)
        #expect(received.isAuthentic(mac: longTermMAC))
    }

    @Test("malformed input is refused with what was wrong", arguments: [
        ([UInt8](repeating: 0, count: 19), StunError.tooShort(19)),
        ([0x80, 0x01, 0, 0] + [0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 12), .notStun),
        ([0x00, 0x01, 0, 0] + [0x21, 0x12, 0xA4, 0x43] + [UInt8](repeating: 0, count: 12), .wrongMagicCookie),
        ([0x00, 0x01, 0, 6] + [0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 18), .unalignedLength(6)),
        ([0x00, 0x01, 0, 8] + [0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 16), .lengthMismatch(declared: 8, actual: 4)),
        (header(8) + [0x00, 0x06, 0x00, 0x09, 0x61, 0x62, 0x63, 0x64], .attributeOverrun(type: 0x0006)),
        (header(12) + [0x00, 0x20, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 1, 2, 3, 4],
         .malformedAttribute(name: "XOR-MAPPED-ADDRESS", reason: "unknown address family 3")),
        (header(12) + [0x00, 0x20, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 1, 2, 3, 4],
         .malformedAttribute(name: "XOR-MAPPED-ADDRESS", reason: "8 bytes for an IPv6 address")),
        (header(8) + [0x00, 0x06, 0x00, 0x02, 0xC3, 0x28, 0, 0], .malformedAttribute(name: "USERNAME", reason: "not UTF-8")),
        (header(8) + [0x00, 0x0D, 0x00, 0x02, 0, 1, 0, 0], .malformedAttribute(name: "LIFETIME", reason: "2 bytes instead of 4")),
        (header(8) + [0x00, 0x09, 0x00, 0x04, 0, 0, 2, 0], .malformedAttribute(name: "ERROR-CODE", reason: "not a code from 300 to 699 with a UTF-8 reason")),
        (header(8) + [0x00, 0x0C, 0x00, 0x04, 0x30, 0x00, 0, 0], .invalidChannelNumber(0x3000)),
        (header(24) + [0x00, 0x08, 0x00, 0x10] + [UInt8](repeating: 0, count: 20),
         .malformedAttribute(name: "MESSAGE-INTEGRITY", reason: "16 bytes instead of 20")),
        (header(16) + [0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0, 0x80, 0x22, 0x00, 0x01, 0x61, 0, 0, 0],
         .malformedAttribute(name: "FINGERPRINT", reason: "not the last attribute")),
    ] as [([UInt8], StunError)])
    func malformed(bytes: [UInt8], error: StunError) {
        #expect(throws: error) { try StunMessage.parse(bytes) }
        #expect(!error.description.isEmpty && !error.description.contains("\n"))
    }

    /// A Binding request header with `length` bytes of attributes to follow.
    private static func header(_ length: UInt8) -> [UInt8] {
        [0x00, 0x01, 0x00, length, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12)
    }

    @Test("random and mutated input: no crash, and what parses encodes and parses back to itself")
    func randomInput() throws {
        var random = SeededGenerator(seed: 18)
        let samples = [StunVectors.request, StunVectors.ipv4Response, StunVectors.ipv6Response, StunVectors.longTermRequest]
        var parsed = 0
        for index in 0..<5000 {
            let bytes = index.isMultiple(of: 4) ? random.bytes(maxCount: 80) : random.mutate(samples.randomElement(using: &random)!)
            guard let received = try? StunMessage.parse(bytes) else { continue }
            parsed += 1
            let again = try StunMessage.parse(received.message.encoded(fingerprint: true))
            #expect(again.message == received.message, "input \(index): \(bytes)")
        }
        #expect(parsed > 0)
    }
}
