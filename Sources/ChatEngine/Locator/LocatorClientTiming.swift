/// The client's clocks. The defaults suit real use; tests shorten them.
public struct LocatorClientTiming: Sendable, Equatable {
    /// A `PING` (course: a query for oneself) after this long without sending anything, so
    /// the locator's idle timeout never closes a quiet connection and a dead one is noticed.
    public var pingInterval: Duration
    /// A request unanswered for this long means the connection is lost.
    public var replyTimeout: Duration
    /// How long to wait for TCP and then TLS to come up.
    public var connectTimeout: Duration
    /// The first reconnect after losing the locator waits a random time up to this, so that the
    /// clients of a replica that died arrive at the others spread out, not all in one instant.
    public var reconnectSpread: Duration
    /// The wait after a round of reconnecting to every replica failed; it doubles after every
    /// failed round...
    public var initialBackoff: Duration
    /// ...up to this. Each wait is varied by ±20 % so many clients do not return in step
    /// after a locator restart.
    public var maximumBackoff: Duration
    /// Course protocol only: how often watched users are queried, as it has no push.
    public var pollInterval: Duration
    /// How long `stop()` waits for the locator to confirm the logout.
    public var logoutTimeout: Duration

    public init(
        pingInterval: Duration = .seconds(30),
        replyTimeout: Duration = .seconds(20),
        connectTimeout: Duration = .seconds(10),
        reconnectSpread: Duration = .seconds(1),
        initialBackoff: Duration = .milliseconds(250),
        maximumBackoff: Duration = .seconds(15),
        pollInterval: Duration = .seconds(5),
        logoutTimeout: Duration = .seconds(2)
    ) {
        self.pingInterval = pingInterval
        self.replyTimeout = replyTimeout
        self.connectTimeout = connectTimeout
        self.reconnectSpread = reconnectSpread
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.pollInterval = pollInterval
        self.logoutTimeout = logoutTimeout
    }
}
