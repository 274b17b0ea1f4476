import ChatWire

/// What the course system's ten-digit ids imply: a course user is reached at the port made of
/// the last five digits of the id, whatever the locator says.
enum CourseID {
    static let rule = "the course protocol only knows ten-digit ids"

    /// The number the id's last five digits make, and that number as a port (nil when it is
    /// not one: 0, or above 65535).
    static func peerPort(of id: String) -> (value: Int, port: Int?) {
        let value = Int(id.suffix(5)) ?? 0
        return (value, (1...65535).contains(value) ? value : nil)
    }

    /// A course user has no advertised port (`-`), but is reached at the port the id implies;
    /// filling it in lets the engine dial course users found through either protocol.
    static func withImpliedPort(_ address: PeerAddress?, of user: String) -> PeerAddress? {
        guard var address, address.port == nil, UserName.isLegacyID(user) else { return address }
        address.port = peerPort(of: user).port
        return address
    }
}
