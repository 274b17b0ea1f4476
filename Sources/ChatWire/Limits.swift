/// Sizes that bound what a peer or a client may make us hold in memory.
public enum Limits {
    /// The longest locator request or reply line, in bytes, without its terminator.
    public static let maxLineLength = 4096
    /// The largest peer frame (kind byte and payload), in bytes.
    public static let maxFrameLength = 1 << 20
    /// The longest text of one message, in bytes of UTF-8.
    public static let maxMessageText = 64 * 1024
    /// The longest away reason, in bytes of UTF-8.
    public static let maxAwayReason = 256
    /// The most users one `WATCH` may name.
    public static let maxWatchBatch = 256
    /// Candidates one user may publish (`CANDIDATES`): a few interfaces and a relay.
    public static let maxCandidates = 8
}
