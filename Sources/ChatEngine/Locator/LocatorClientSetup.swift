import Logging
import NIOCore

/// What a locator client is made with: where the locator's replicas are, who logs in, its
/// clocks, and the stream it reports on.
struct LocatorClientSetup: Sendable {
    /// The replicas of one service, in the order they are tried first; never empty.
    let addresses: [LocatorAddress]
    let user: String
    let password: String
    let timing: LocatorClientTiming
    /// Carries the locator's name as metadata.
    let logger: Logger
    let group: any EventLoopGroup
    /// Where the link's and the reconnecting's tasks run: the login session's tree in the engine,
    /// so that nothing of the client outlives the session.
    let host: any WorkHost
    /// `a:8000,b:8000`: the service as the user gave it, for messages about no replica in particular.
    let serviceName: String
    let updates: AsyncStream<LocatorClientUpdate>
    let updateSink: AsyncStream<LocatorClientUpdate>.Continuation

    init(
        addresses: [LocatorAddress], user: String, password: String, timing: LocatorClientTiming, logger: Logger,
        group: any EventLoopGroup, host: any WorkHost
    ) {
        self.addresses = addresses
        self.user = user
        self.password = password
        self.timing = timing
        self.group = group
        self.host = host
        self.serviceName = addresses.map(\.description).joined(separator: ",")
        var logger = logger
        logger[metadataKey: "locator"] = "\(self.serviceName)"
        self.logger = logger
        (updates, updateSink) = AsyncStream.makeStream(of: LocatorClientUpdate.self)
    }
}
