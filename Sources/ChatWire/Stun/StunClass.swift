/// The class of a STUN message (RFC 8489 §5): a request, the two kinds of response to it, or an
/// indication, which has none.
public enum StunClass: UInt16, Hashable, Sendable, CaseIterable {
    case request = 0
    case indication = 1
    case successResponse = 2
    case errorResponse = 3
}
