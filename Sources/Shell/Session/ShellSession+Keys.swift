import ChatEngine
import Foundation

extension ShellSession {
    /// Switches conversation as `/chat` does (unread messages are replayed), for a key.
    public func switchConversation(_ key: ConversationKey) async {
        _ = await perform {
            guard engine != nil else { throw CommandFailure("not logged in: use /login ID first") }
            guard let peer = try await conversation(for: key) else { return }
            guard peer != conversation else { return }
            try await chat(peer)
        }
    }

    private func conversation(for key: ConversationKey) async throws -> String? {
        let all = state.conversations
        guard !all.isEmpty else { throw CommandFailure("no conversations yet: /add ID sends a friend request") }
        let current = conversation.flatMap { all.firstIndex(of: $0) }
        switch key {
        case .number(let number):
            guard all.indices.contains(number - 1) else {
                throw CommandFailure("there is no conversation \(number): you have \(all.count)")
            }
            return all[number - 1]
        case .next:
            return all[current.map { ($0 + 1) % all.count } ?? 0]
        case .previous:
            return all[current.map { ($0 + all.count - 1) % all.count } ?? all.count - 1]
        case .oldestUnread:
            let engine = try requireEngine()
            var oldest: (peer: String, time: Double)?
            for peer in unread.keys {
                guard let first = try await engine.unreadMessages(from: peer).first else { continue }
                let time = first.storedAt.timeIntervalSince1970
                if time < oldest?.time ?? .infinity { oldest = (peer, time) }
            }
            guard let oldest else {
                show(.info("no unread messages"))
                return nil
            }
            return oldest.peer
        }
    }
}
