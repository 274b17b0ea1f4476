import Testing
@testable import Voice

@Suite struct MediaCipherTests {
    private let key = MediaKey.random()
    private let payload = MediaPayload.audio(packet: [1, 2, 3, 4])

    @Test func opensWhatThePeerSealed() {
        let sealer = MediaCipher(key: key, role: .caller), opener = MediaCipher(key: key, role: .callee)
        let datagram = sealer.seal(payload, sequence: 42)
        let opened = opener.open(datagram)
        #expect(opened?.sequence == 42)
        #expect(opened?.payload == payload)
        // 21 bytes around a packet: kind, sequence number, tag.
        #expect(datagram.count == 21 + 4)
        let protected = MediaPayload.audioWithPrevious(packet: [5, 6, 7], previous: [1, 2, 3, 4])
        #expect(opener.open(sealer.seal(protected, sequence: 43))?.payload == protected)
        let ping = MediaPayload.ping(nanoseconds: 123_456_789, lossPercent: 7)
        #expect(opener.open(sealer.seal(ping, sequence: 0))?.payload == ping)
    }

    @Test func audioAndControlDatagramsNeverShareANonce() {
        let sealer = MediaCipher(key: key, role: .caller)
        // Frame 3 and the fourth ping both have sequence number 3; a ping's header on the audio
        // datagram's body must not open.
        var audio = sealer.seal(.audio(packet: Array(repeating: 9, count: 9)), sequence: 3)
        audio[0] = MediaPayload.Kind.ping.rawValue
        #expect(MediaCipher(key: key, role: .callee).open(audio) == nil)
    }

    @Test func refusesOtherKeysTamperingAndReflection() {
        let datagram = MediaCipher(key: key, role: .caller).seal(payload, sequence: 1)
        #expect(MediaCipher(key: .random(), role: .callee).open(datagram) == nil)
        // The caller's own datagram sent back to it does not open: the direction is in the nonce.
        #expect(MediaCipher(key: key, role: .caller).open(datagram) == nil)
        for index in datagram.indices {
            var tampered = datagram
            tampered[index] ^= 0x01
            #expect(MediaCipher(key: key, role: .callee).open(tampered) == nil)
        }
        #expect(MediaCipher(key: key, role: .callee).open(Array(datagram.prefix(10))) == nil)
        #expect(MediaCipher(key: key, role: .callee).open([]) == nil)
    }

    @Test func keysTravelAsBase64AndCombineTheSameOnBothSides() throws {
        #expect(try MediaKey(base64: key.base64).bytes == key.bytes)
        #expect(throws: MediaSessionError.invalidKey(byteCount: 16)) { try MediaKey(bytes: [UInt8](repeating: 0, count: 16)) }
        #expect(throws: MediaSessionError.self) { try MediaKey(base64: "not base64!") }
        let answer = MediaKey.random()
        let callKey = MediaKey(offer: key, answer: answer)
        #expect(callKey.bytes == MediaKey(offer: try MediaKey(bytes: key.bytes), answer: try MediaKey(bytes: answer.bytes)).bytes)
        #expect(callKey.bytes != key.bytes && callKey.bytes != answer.bytes)
    }
}

@Suite struct ReplayWindowTests {
    @Test func acceptsEachSequenceOnceAndRefusesStaleOnes() {
        var window = ReplayWindow()
        let sequences: [UInt32] = [10, 10, 12, 11, 11, 200, 12, 200 - 63, 200 - 64, 200]
        let accepted = sequences.map { window.accept($0) }
        // 11 is new although reordered; 12 is older than the window once 200 has been seen.
        #expect(accepted == [true, false, true, true, false, true, false, true, false, false])
    }
}
