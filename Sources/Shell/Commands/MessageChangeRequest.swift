import ChatEngine

/// `/edit [N] TEXT` and `/delete [N]`: which of the user's messages in the current conversation,
/// and its new text (nil: delete it).
public struct MessageChangeRequest: Sendable, Equatable {
    public var conversation: String
    /// Counts back from the user's last message: 1 is the last.
    public var nthLast: Int
    public var text: String?

    /// `/edit`: a first word of at most 4 digits is N, the rest of the line is the text; any other
    /// first word begins the text.
    static func edit(_ words: CommandWords) throws(CommandLineError) -> MessageChangeRequest {
        var n = 1
        var text = words.words.joined(separator: " ")
        if let number = count(words[0]) {
            n = number
            text = words.optional(1) ?? ""
        }
        guard !text.isEmpty else { throw CommandLineError("the new text is empty: /edit [N] TEXT, or /delete [N]") }
        return MessageChangeRequest(conversation: try current(words), nthLast: n, text: text)
    }

    static func delete(_ words: CommandWords) throws(CommandLineError) -> MessageChangeRequest {
        var n = 1
        if let word = words.optional(0) {
            guard let number = count(word) else { throw .usage(words.spec) }
            n = number
        }
        return MessageChangeRequest(conversation: try current(words), nthLast: n, text: nil)
    }

    /// A whole number from 1 to 9999, or nil.
    static func count(_ word: String) -> Int? {
        guard (1...4).contains(word.count), word.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(word), n > 0 else {
            return nil
        }
        return n
    }

    /// The conversation the command is about: the current one.
    static func current(_ words: CommandWords) throws(CommandLineError) -> String {
        guard let conversation = words.conversation else {
            throw CommandLineError("/\(words.spec.name) works in a conversation: /chat ID first")
        }
        return conversation
    }
}
