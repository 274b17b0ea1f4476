import ChatWire
import Foundation

extension ChatEngine {
    /// Changes the text of one of this user's messages in `conversation` (a friend's id or a
    /// `#group`): here at once, and for the friend or every member of the group through the
    /// outbox, as a message goes. Returns the message as it is now.
    @discardableResult
    public func editMessage(_ text: String, in conversation: String, _ choice: MessageChoice = .ownNthLast(1)) async throws -> StoredMessage {
        _ = try requireSession()
        guard !text.isEmpty else { throw MessageError.empty }
        guard text.utf8.count <= Limits.maxMessageText else { throw MessageError.tooLong(Limits.maxMessageText) }
        return try await change(.edit, text: text, in: conversation, choice)
    }

    /// Deletes one of this user's messages in `conversation`, here and for the others, as
    /// ``editMessage(_:in:_:)`` changes one.
    @discardableResult
    public func deleteMessage(in conversation: String, _ choice: MessageChoice = .ownNthLast(1)) async throws -> StoredMessage {
        _ = try requireSession()
        return try await change(.delete, text: nil, in: conversation, choice)
    }

    /// Sends `text` in `conversation` as a reply to the message numbered `number` there. Returns
    /// the reply (with its quote), delivered or queued as a message is.
    @discardableResult
    public func reply(to number: Int, in conversation: String, text: String) async throws -> StoredMessage {
        _ = try requireSession()
        guard !text.isEmpty else { throw MessageError.empty }
        guard text.utf8.count <= Limits.maxMessageText else { throw MessageError.tooLong(Limits.maxMessageText) }
        let key = try await conversationKey(conversation)
        let target = try await chosenMessage(.numbered(number), in: key, shown: conversation)
        guard !target.isDeleted else { throw MessageError.deleted(number) }
        var reply: StoredMessage
        if key.hasPrefix("#") {
            reply = try await groupsPart.send(text, to: try await resolveGroup(conversation), replyTo: target.id)
        } else {
            let sent = try await messaging.send(text, to: key, action: false, replyTo: target.id)
            reply = StoredMessage.outgoing(id: sent.id, from: user, to: key, body: text)
            reply.delivery = sent.delivery == .delivered ? .delivered : .queued
            reply.replyTo = target.id
        }
        reply.quote = StoredMessage.Quote(sender: target.sender, body: target.body, isDeleted: false)
        return reply
    }

    /// Whether an edit or delete keeps the text it replaces, for the user alone (off by default:
    /// the text is gone, from search too).
    public func setKeepEdits(_ on: Bool) async {
        await messaging.setKeepEdits(on)
    }

    /// How many edits and deletes from peers were refused because they were not the author's.
    public func refusedChangeCount() async throws -> Int {
        try await store.refusedChangeCount()
    }

    private func change(_ kind: MessageChange.Kind, text: String?, in conversation: String, _ choice: MessageChoice) async throws -> StoredMessage {
        let key = try await conversationKey(conversation)
        let target = try await chosenMessage(choice, in: key, shown: conversation)
        guard target.sender == user else { throw MessageError.notYours(author: target.sender) }
        if case .numbered(let number) = choice, target.isDeleted { throw MessageError.deleted(number) }
        let change = MessageChange(
            id: Envelope.newID(), kind: kind, sender: user, conversation: key, target: target.id, text: text, sentAt: Date())
        if key.hasPrefix("#") {
            return try await groupsPart.sendChange(change, in: try await resolveGroup(conversation))
        }
        return try await messaging.sendChange(change, to: key).message
    }

    /// The store's name of a conversation: a friend's id, or `#<group id>` for a `#group`.
    private func conversationKey(_ conversation: String) async throws -> String {
        if conversation.hasPrefix("#") { return try await resolveGroup(conversation).conversation }
        guard UserName.isValid(conversation) else { throw EngineError.invalidUser(conversation) }
        guard try await store.contact(id: conversation) != nil else { throw FriendError.notFriend(conversation) }
        return conversation
    }

    private func chosenMessage(_ choice: MessageChoice, in key: String, shown: String) async throws -> StoredMessage {
        switch choice {
        case .ownNthLast(let n):
            if let message = try await store.ownMessage(in: key, me: user, nthLast: n) { return message }
            let count = try await store.ownMessageCount(in: key, me: user)
            throw count == 0 ? MessageError.noneOfYours(shown) : MessageError.fewerOfYours(count, shown)
        case .numbered(let number):
            guard let message = try await store.message(numbered: number, in: key) else {
                throw MessageError.noSuchMessage(number, shown)
            }
            return message
        }
    }
}
