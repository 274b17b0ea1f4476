extension StoredMessage {
    /// What a reply answers, as the reply shows it: its sender and the start of its text.
    public struct Quote: Sendable, Hashable {
        public var sender: String
        /// At most ``maxLength`` characters of the text, "…" where cut; empty when it was deleted.
        public var text: String
        public var isDeleted: Bool

        /// Enough to recognise a message by, short enough to share a line with the reply.
        public static let maxLength = 40

        public init(sender: String, body: String, isDeleted: Bool) {
            self.sender = sender
            let flat = body.split(whereSeparator: \.isNewline).joined(separator: " ")
            text = flat.count > Self.maxLength ? String(flat.prefix(Self.maxLength - 1)) + "…" : flat
            self.isDeleted = isDeleted
        }
    }
}
