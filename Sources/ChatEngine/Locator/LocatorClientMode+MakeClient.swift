import ChatIdentity
import Foundation
import Logging
import NIOCore
import NIOPosix

extension LocatorClientMode {
    /// A client that speaks this protocol to the replicas of one locator service, not yet started.
    /// - Parameters:
    ///   - addresses: the replicas, tried in this order at the first login; after losing one the
    ///     client moves to the next. A host name stands for every address it resolves to.
    ///   - knownLocatorsFile: where the locator's fingerprint is pinned on first contact (modern).
    ///   - timing: ping, timeout, backoff and polling intervals; the defaults suit real use.
    ///   - identity: the TLS client context is made from it (modern; no certificate is presented:
    ///     the locator does not ask for one). Without it a throwaway identity is generated.
    ///   - host: where the client's background work runs; outside a login session (benchmarks,
    ///     tools) it is tasks of its own.
    public func makeClient(
        addresses: [LocatorAddress], user: String, password: String,
        knownLocatorsFile: URL, logger: Logger, timing: LocatorClientTiming = LocatorClientTiming(),
        identity: Identity? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) -> any LocatorClient {
        makeClient(
            addresses: addresses, user: user, password: password, knownLocatorsFile: knownLocatorsFile,
            logger: logger, timing: timing, identity: identity, group: group, host: OwnTasks())
    }

    /// A client whose link and reconnecting run in `host`: a login session's tree.
    func makeClient(
        addresses: [LocatorAddress], user: String, password: String,
        knownLocatorsFile: URL, logger: Logger, timing: LocatorClientTiming = LocatorClientTiming(),
        identity: Identity? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        host: any WorkHost
    ) -> any LocatorClient {
        precondition(!addresses.isEmpty, "a locator client needs at least one address")
        let setup = LocatorClientSetup(
            addresses: addresses, user: user, password: password, timing: timing, logger: logger, group: group,
            host: host)
        switch self {
        case .modern: return ModernLocatorClient(setup: setup, knownLocatorsFile: knownLocatorsFile, identity: identity)
        case .course: return CourseLocatorClient(setup: setup)
        }
    }

    /// A client of the one locator at `host:port`.
    public func makeClient(
        host: String, port: Int, user: String, password: String,
        knownLocatorsFile: URL, logger: Logger, timing: LocatorClientTiming = LocatorClientTiming(),
        identity: Identity? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) -> any LocatorClient {
        makeClient(
            addresses: [LocatorAddress(host: host, port: port)], user: user, password: password,
            knownLocatorsFile: knownLocatorsFile, logger: logger, timing: timing, identity: identity, group: group)
    }
}
