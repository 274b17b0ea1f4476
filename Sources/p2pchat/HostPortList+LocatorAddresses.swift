import ChatEngine
import CommandLineSupport

extension HostPortList {
    /// The replicas as the engine takes them.
    var locatorAddresses: [LocatorAddress] {
        addresses.map { LocatorAddress(host: $0.host, port: $0.port) }
    }
}
