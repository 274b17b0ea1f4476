import ChatWire

/// Read receipts and typing indicators: what this user shares (both off until asked for, as
/// uTox users asked), and the typing clock.
public struct ReceiptSettings: PartSettings {
    /// Whether this user sends read receipts, and wants them; the shell's `/set receipts`.
    public var readReceipts = false
    /// Whether this user sends typing indicators, and wants them; the shell's `/set typing`.
    public var typing = false
    /// At most one `Typing` frame this often while keys are pressed in one query.
    public var typingInterval: Duration = .seconds(3)
    /// Without a key for this long, the typist's side says it stopped.
    public var typingTimeout: Duration = .seconds(5)

    public init() {}

    /// The choices told to friends.
    var choices: ReceiptChoices {
        ReceiptChoices(receipts: readReceipts, typing: typing)
    }
}
