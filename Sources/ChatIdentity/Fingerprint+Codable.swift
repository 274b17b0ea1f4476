/// Encoded as the wire form (a hex string), so stored and transmitted fingerprints are
/// readable and the same in JSON, SQLite and the locator protocol.
extension Fingerprint: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let fingerprint = Fingerprint(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a fingerprint as 64 hexadecimal digits"
            )
        }
        self = fingerprint
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.hex)
    }
}
