import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A transport address as STUN carries it: an IPv4 or IPv6 address and a port.
public struct StunAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let addressBytes: [UInt8]
    public let port: UInt16

    /// nil unless `addressBytes` is 4 or 16 bytes long.
    public init?(addressBytes: [UInt8], port: UInt16) {
        guard addressBytes.count == 4 || addressBytes.count == 16 else { return nil }
        self.addressBytes = addressBytes
        self.port = port
    }

    /// The address of a socket; nil for a Unix-domain one.
    public init?(_ address: SocketAddress) {
        guard let port = address.port, let text = address.ipAddress else { return nil }
        let family = text.contains(":") ? AF_INET6 : AF_INET
        var bytes = [UInt8](repeating: 0, count: family == AF_INET6 ? 16 : 4)
        guard inet_pton(family, text, &bytes) == 1 else { return nil }
        self.init(addressBytes: bytes, port: UInt16(port))
    }

    public var isIPv4: Bool { addressBytes.count == 4 }

    /// The family octet of the address attributes (RFC 8489 §14.1).
    var family: UInt8 { isIPv4 ? 0x01 : 0x02 }

    /// The socket address to send to or connect to.
    public var socketAddress: SocketAddress {
        // 4 or 16 bytes by construction, which is all `packedIPAddress` asks.
        try! SocketAddress(packedIPAddress: ByteBuffer(bytes: addressBytes), port: Int(port))
    }

    /// The address alone, as text: dotted IPv4, or IPv6 in eight hex groups.
    public var host: String {
        if isIPv4 { return addressBytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map {
            String(UInt16(addressBytes[$0]) << 8 | UInt16(addressBytes[$0 + 1]), radix: 16)
        }.joined(separator: ":")
    }

    public var description: String { isIPv4 ? "\(host):\(port)" : "[\(host)]:\(port)" }

    /// The address with the XOR of RFC 8489 §14.2 applied (it is its own inverse): the port with
    /// the cookie's top half, the address with the cookie, and for IPv6 then the transaction id.
    func xored(transactionID: StunTransactionID) -> StunAddress {
        let mask = StunMessage.magicCookieBytes + transactionID.bytes
        let bytes = addressBytes.enumerated().map { $0.element ^ mask[$0.offset] }
        return StunAddress(addressBytes: bytes, port: port ^ UInt16(StunMessage.magicCookie >> 16))!
    }
}
