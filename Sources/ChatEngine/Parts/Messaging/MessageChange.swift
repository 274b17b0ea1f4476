import Foundation

/// An author's change of one of their messages: a new text, or its deletion. Stored by the
/// receiver (once, on sender and `id`), applied to the message `target` of `conversation` by the
/// same sender, or kept until that message arrives.
public struct MessageChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case edit
        case delete
    }

    /// The change's own envelope `Id`: what the receiver de-duplicates on.
    public var id: String
    public var kind: Kind
    public var sender: String
    /// The conversation of the changed message: the other peer of a direct chat, or `#<group id>`.
    public var conversation: String
    /// The `Id` of the message changed.
    public var target: String
    /// The new text of an edit; nil for a delete.
    public var text: String?
    public var sentAt: Date

    public init(id: String, kind: Kind, sender: String, conversation: String, target: String, text: String?, sentAt: Date) {
        self.id = id
        self.kind = kind
        self.sender = sender
        self.conversation = conversation
        self.target = target
        self.text = text
        self.sentAt = sentAt.truncatedToMilliseconds
    }
}
