import ChatIdentity
import Foundation
import Logging
import NIOCore
import NIOPosix

extension LocatorClientMode {
    /// A client that speaks this protocol, not yet started.
    /// - Parameters:
    ///   - knownLocatorsFile: where the locator's fingerprint is pinned on first contact (modern).
    ///   - timing: ping, timeout, backoff and polling intervals; the defaults suit real use.
    ///   - identity: the TLS client context is made from it (modern; no certificate is presented:
    ///     the locator does not ask for one). Without it a throwaway identity is generated.
    public func makeClient(
        host: String, port: Int, user: String, password: String,
        knownLocatorsFile: URL, logger: Logger, timing: LocatorClientTiming = LocatorClientTiming(),
        identity: Identity? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) -> any LocatorClient {
        let setup = LocatorClientSetup(
            host: host, port: port, user: user, password: password, timing: timing, logger: logger, group: group)
        switch self {
        case .modern: return ModernLocatorClient(setup: setup, knownLocatorsFile: knownLocatorsFile, identity: identity)
        case .course: return CourseLocatorClient(setup: setup)
        }
    }
}
