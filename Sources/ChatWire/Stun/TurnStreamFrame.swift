/// What arrives on a TCP connection to a TURN server: STUN messages and, on bound channels,
/// ChannelData, told apart by their first two bits (RFC 8656 §12.4).
public enum TurnStreamFrame: Hashable, Sendable {
    case message(ReceivedStunMessage)
    case channelData(TurnChannelData)
}
