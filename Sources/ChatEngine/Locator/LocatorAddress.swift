/// One locator address as the user gave it (`a.example:8000`, `127.0.0.1:8000`, `[::1]:8000`).
/// A service of several replicas is a list of them (`--locator a:8000,b:8000`); a host name
/// stands for every address it resolves to.
public struct LocatorAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, `[v6]:port`: also the key of its line in `known_locators`.
    public var description: String { KnownLocators.key(host: host, port: port) }
}
