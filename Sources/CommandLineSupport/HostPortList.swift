import ArgumentParser

/// `HOST:PORT[,HOST:PORT…]`: the replicas of one service, in the order given (`a:8000,b:8000`).
public struct HostPortList: ExpressibleByArgument, Sendable, CustomStringConvertible {
    /// Never empty.
    public let addresses: [HostPort]

    public init(_ addresses: [HostPort]) {
        precondition(!addresses.isEmpty, "a list of addresses is never empty")
        self.addresses = addresses
    }

    public init?(argument: String) {
        var addresses: [HostPort] = []
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let address = HostPort(argument: String(item)) else { return nil }
            if !addresses.contains(where: { $0.host == address.host && $0.port == address.port }) { addresses.append(address) }
        }
        guard !addresses.isEmpty else { return nil }
        self.addresses = addresses
    }

    public var description: String { addresses.map(\.description).joined(separator: ",") }
}
