extension EnvelopeType {
    /// What the sender shares with me: `Data` lists the ``ReceiptChoices`` it turned on
    /// (`receipts,typing`; empty for neither). Told on each new connection and whenever it changes,
    /// so that each side sends receipts and typing only to friends who want them too.
    public static let receiptChoices = EnvelopeType(rawValue: "Signals")
    /// The sender has read my messages up to the one whose `Id` is in `Data` (a "read up to" mark).
    public static let read = EnvelopeType(rawValue: "Read")
    /// The sender is typing to me, or stopped: ``TypingState`` in `Data`. Never stored, never queued.
    public static let typing = EnvelopeType(rawValue: "Typing")
}
