import ChatWire

/// An envelope that was accepted is valid, and what we send for it is read back as the same envelope.
public func checkRoundTrip(_ envelope: Envelope) {
    require((try? envelope.validate()) != nil, "an accepted envelope is invalid")
    guard let encoded = try? envelope.encoded() else { fatalError("an accepted envelope cannot be encoded") }
    require((try? Envelope.decode(from: encoded)) == envelope, "an accepted envelope does not survive encoding")
}
