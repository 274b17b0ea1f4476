/// One address to connect to: a `LocatorAddress` as given, and one IP address it resolved to.
struct LocatorEndpoint: Sendable, Equatable {
    /// What the user gave: its host is the TLS server name, and its text the key of the pin.
    let address: LocatorAddress
    /// Where the connection goes.
    let ip: String

    var port: Int { address.port }

    /// For people: `b:8000`, or `b.example:8000 (192.0.2.7)` when a name stood for the address.
    var name: String {
        ip == address.host ? address.description : "\(address) (\(KnownLocators.key(host: ip, port: port)))"
    }
}
