extension StunMessage {
    // The first of each attribute a TURN client reads; nil when the message has none.

    public var errorCode: StunErrorCode? {
        for case .errorCode(let value) in attributes { return value }
        return nil
    }

    public var nonce: String? {
        for case .nonce(let value) in attributes { return value }
        return nil
    }

    public var realm: String? {
        for case .realm(let value) in attributes { return value }
        return nil
    }

    public var xorMappedAddress: StunAddress? {
        for case .xorMappedAddress(let value) in attributes { return value }
        return nil
    }

    public var xorRelayedAddress: StunAddress? {
        for case .xorRelayedAddress(let value) in attributes { return value }
        return nil
    }

    public var xorPeerAddress: StunAddress? {
        for case .xorPeerAddress(let value) in attributes { return value }
        return nil
    }

    public var lifetime: UInt32? {
        for case .lifetime(let value) in attributes { return value }
        return nil
    }

    public var connectionID: UInt32? {
        for case .connectionID(let value) in attributes { return value }
        return nil
    }

    public var data: [UInt8]? {
        for case .data(let value) in attributes { return value }
        return nil
    }
}
