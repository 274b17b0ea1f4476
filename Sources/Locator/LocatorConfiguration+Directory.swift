import Foundation

extension LocatorConfiguration {
    /// A configuration whose account database and TLS identity live in `directory`, as
    /// `p2pchat locator --data-dir` lays them out.
    public init(host: String, port: Int, directory: URL) {
        self.init(
            host: host, port: port,
            databasePath: directory.appendingPathComponent("accounts.sqlite").path,
            identityPath: directory.appendingPathComponent("identity.pem"))
    }
}
