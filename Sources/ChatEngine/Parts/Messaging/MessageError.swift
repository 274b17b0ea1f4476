/// Why a message could not be sent, changed or answered; each says what to do about it. Group
/// texts obey the same limits.
public enum MessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    /// The user has no message in the conversation that could be changed.
    case noneOfYours(String)
    /// `/edit N` with N beyond the user's messages in the conversation.
    case fewerOfYours(Int, String)
    /// No message has this number in the conversation.
    case noSuchMessage(Int, String)
    /// Only a message's author changes it.
    case notYours(author: String)
    case deleted(Int)

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .tooLong(let limit): "the message is longer than \(limit) bytes"
        case .noneOfYours(let conversation): "you have no message with \(conversation) to change"
        case .fewerOfYours(let count, let conversation):
            "you have \(count == 1 ? "only 1 message" : "only \(count) messages") with \(conversation): "
                + "N counts back from your last one, 1 to \(count)"
        case .noSuchMessage(let number, let conversation):
            "there is no message \(number) with \(conversation): /history \(conversation) shows the numbers"
        case .notYours(let author): "that message is \(author)'s: only its author can change it"
        case .deleted(let number): "message \(number) is deleted"
        }
    }
}
