/// `/history [ID] [N]`: whose messages, and how many. ID defaults to the current conversation and
/// N to ``CommandLineParser/defaultHistoryCount``; a lone argument of at most 4 digits is N.
public struct HistoryRequest: Sendable, Equatable {
    public var conversation: String
    public var count: Int

    public init(conversation: String, count: Int) {
        self.conversation = conversation
        self.count = count
    }

    init(_ words: CommandWords) throws(CommandLineError) {
        var id: String?
        var count: String?
        switch words.words.count {
        case 0:
            break
        case 1 where words[0].count <= 4 && words[0].allSatisfy { $0.isASCII && $0.isNumber }:
            count = words[0]
        case 1:
            id = words[0]
        default:
            id = words[0]
            count = words[1]
        }
        guard let id = id ?? words.conversation else {
            throw CommandLineError("no conversation: use /history ID [N], or /chat ID first")
        }
        let number = count.map { Int($0) } ?? CommandLineParser.defaultHistoryCount
        guard let number, (1...CommandLineParser.maximumHistoryCount).contains(number) else {
            throw CommandLineError(
                "N must be a whole number from 1 to \(CommandLineParser.maximumHistoryCount); usage: \(words.spec.usage)")
        }
        self.init(conversation: try CommandLineParser.checkedConversation(id), count: number)
    }
}
