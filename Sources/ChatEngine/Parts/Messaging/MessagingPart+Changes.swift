import ChatWire
import Foundation
import Logging

extension MessagingPart {
    /// A friend's edit or delete of one of their direct messages (a group text's goes to Groups).
    /// Stored before it is acked; applied once, to the sender's own message only, or kept until
    /// that message arrives. A change of anyone else's message is refused, counted, and not shown.
    func receiveChange(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard let change = Self.change(in: envelope, conversation: envelope.source) else { return }
        if envelope.group != nil {
            try await core.parts.part(GroupsPart.self).receiveChange(change, envelope: envelope, on: connection)
            return
        }
        guard try await core.store.contact(id: envelope.source) != nil else {
            core.logger.notice("dropped a change from someone who is not a friend", metadata: ["peer": "\(envelope.source)"])
            return
        }
        // Messages that came before it on this connection are stored first, so that it finds its
        // message (one it does not find waits for it anyway).
        await inboxStored()
        let outcome = try await core.store.applyReceivedChange(change, keepOriginal: keepEdits)
        logIfRefused(outcome, change)
        if case .applied(let message) = outcome {
            core.emit(.messaging(message.isDeleted ? .deleted(message) : .edited(message)))
        }
        try await connection.send(Envelope(type: .ack, source: core.user, target: envelope.source, data: envelope.id))
    }

    /// The change an `Edit` or `Delete` envelope carries, about a message of `conversation`.
    static func change(in envelope: Envelope, conversation: String) -> MessageChange? {
        guard let target = envelope.ref else { return nil }
        return MessageChange(
            id: envelope.id, kind: envelope.type == .edit ? .edit : .delete, sender: envelope.source,
            conversation: envelope.group.map { GroupRecord.conversation(of: $0.id) } ?? conversation, target: target,
            text: envelope.type == .edit ? envelope.data : nil, sentAt: envelope.time)
    }

    /// Logs a refused change; the user sees nothing of it but the count in `/status`.
    func logIfRefused(_ outcome: MessageChangeOutcome, _ change: MessageChange) {
        guard outcome == .refused else { return }
        core.logger.notice(
            "refused a change of a message that is not its sender's",
            metadata: ["peer": "\(change.sender)", "message": "\(change.target)"])
    }

    func setKeepEdits(_ on: Bool) {
        keepEdits = on
    }
}
