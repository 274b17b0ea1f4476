/// `/reply N TEXT`: the message numbered N in the current conversation's `/history`, and the answer.
public struct ReplyRequest: Sendable, Equatable {
    public var conversation: String
    public var number: Int
    public var text: String

    init(_ words: CommandWords) throws(CommandLineError) {
        guard let number = Int(words[0]), number > 0 else {
            throw CommandLineError("N is a message's number as /history shows it; usage: \(words.spec.usage)")
        }
        self.number = number
        text = words[1]
        conversation = try MessageChangeRequest.current(words)
    }
}
