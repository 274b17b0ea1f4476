/// For testing only: what happens to the call media this side sends (`--impair-loss`,
/// `--impair-delay`), to try loss and delay on loopback.
public struct CallImpairment: Sendable, Equatable {
    /// The share of datagrams never sent, 0...1.
    public var loss: Double
    /// How late every datagram that is sent goes out.
    public var delay: Duration

    public init(loss: Double = 0, delay: Duration = .zero) {
        self.loss = loss
        self.delay = delay
    }
}
