/// Which of the locator's two protocols the client speaks.
public enum LocatorClientMode: String, Sendable, CaseIterable {
    /// TLS, one line per request and reply, presence pushed by the server; any user name.
    case modern
    /// The course server's plain-text protocol: ten-digit ids, a shared password, no push
    /// (watched users are polled), no fingerprints.
    case course
}
