import ChatWire
import FuzzSupport
import NIOCore

/// STUN and TURN ChannelData on any bytes: parsing a datagram never crashes, and a message it
/// accepts encodes and parses back to itself (with a FINGERPRINT added, which must check out);
/// the TCP stream decoder finds the same frames however the bytes are cut; checking a
/// MESSAGE-INTEGRITY (with a stand-in MAC: the codec does not hash) never crashes.
func fuzzStun(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    if let received = try? StunMessage.parse(input.body) {
        let encoded = received.message.encoded(fingerprint: true)
        if encoded.count <= StunMessage.maxLength {
            let again = try? StunMessage.parse(encoded)
            require(again?.message == received.message, "a message does not parse back to itself")
        }
        _ = received.isAuthentic { Array($0.prefix(20)) }
    }
    if let channelData = try? TurnChannelData.parse(input.body) {
        require((try? TurnChannelData.parse(channelData.encoded(padded: true))) == channelData, "ChannelData does not parse back")
    }
    let stream = input.decodedAlike(decodeStream)
    for case .message(let received) in stream.messages {
        require(received.message.encoded().count <= StunMessage.maxLength, "a message over the limit")
    }
    return 0
}

func decodeStream(_ pieces: [[UInt8]]) -> DecodedStream<TurnStreamFrame> {
    var decoder = TurnStreamDecoder()
    return DecodedStream(pieces: pieces) { try decoder.next(from: &$0) }
}
