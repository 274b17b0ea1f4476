/// Where a user's peer node listens, and the certificate it will present.
public struct PeerAddress: Sendable, Hashable {
    /// The IP address the locator saw the user connect from.
    public var host: String
    /// The peer port; `nil` for a course-protocol client, which advertises none.
    public var port: Int?
    /// The 64 lowercase hex digits of the identity fingerprint; `nil` for a course-protocol client.
    public var fingerprint: String?

    public init(host: String, port: Int?, fingerprint: String?) {
        self.host = host
        self.port = port
        self.fingerprint = fingerprint
    }

    /// Whether `text` is a fingerprint in wire form: 64 lowercase hex digits.
    public static func isFingerprint(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    var words: [String] {
        // A word starting with ':' would open the trailing word; `0::1` is the same address as `::1`.
        [host.hasPrefix(":") ? "0" + host : host, port.map(String.init) ?? "-", fingerprint ?? "-"]
    }

    init?(words: ArraySlice<String>) {
        guard words.count == 3 else { return nil }
        let values = Array(words)
        guard !values[0].isEmpty, !values[0].contains(" ") else { return nil }
        host = values[0]
        if values[1] == "-" {
            port = nil
        } else {
            guard let port = Int(values[1]), (1...65535).contains(port) else { return nil }
            self.port = port
        }
        if values[2] == "-" {
            fingerprint = nil
        } else {
            guard Self.isFingerprint(values[2]) else { return nil }
            fingerprint = values[2]
        }
    }
}
