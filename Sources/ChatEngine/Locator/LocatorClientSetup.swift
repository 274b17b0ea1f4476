import Logging
import NIOCore

/// What a locator client is made with: where the locator is, who logs in, its clocks, and the
/// stream it reports on.
struct LocatorClientSetup: Sendable {
    let host: String
    let port: Int
    let user: String
    let password: String
    let timing: LocatorClientTiming
    /// Carries the locator's name as metadata.
    let logger: Logger
    let group: any EventLoopGroup
    /// `host:port` as in the known-locators file and in messages.
    let locatorName: String
    let updates: AsyncStream<LocatorClientUpdate>
    let updateSink: AsyncStream<LocatorClientUpdate>.Continuation

    init(
        host: String, port: Int, user: String, password: String, timing: LocatorClientTiming, logger: Logger,
        group: any EventLoopGroup
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.timing = timing
        self.group = group
        self.locatorName = KnownLocators.key(host: host, port: port)
        var logger = logger
        logger[metadataKey: "locator"] = "\(self.locatorName)"
        self.logger = logger
        (updates, updateSink) = AsyncStream.makeStream(of: LocatorClientUpdate.self)
    }
}
