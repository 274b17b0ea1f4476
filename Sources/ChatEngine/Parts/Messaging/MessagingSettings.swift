/// How direct (and group) messages are sent.
public struct MessagingSettings: PartSettings {
    /// How long `send` waits for the receiver's `Ack` before answering "queued".
    public var ackWait: Duration = .seconds(5)

    public init() {}
}
