import ChatEngine
import ChatWire
import Foundation
import Logging

/// Runs what the user types: commands against the engine, text into the current conversation.
/// Interactive and scripted shells both drive one of these; only how lines arrive and where
/// output goes differs.
public actor ShellSession {
    public enum Outcome: Sendable, Equatable {
        case succeeded
        /// The command ran and failed (offline peer, wrong password, timeout of a `/wait` …).
        case failed
        /// The line itself was wrong: unknown command, wrong arguments.
        case usageError
        /// `/quit`.
        case quit
    }

    /// Asks the user for a password without echo; nil when there is nobody to ask.
    public typealias PasswordPrompt = @Sendable (String) async -> String?

    let options: ShellOptions
    let sink: any OutputSink
    let logger: Logger
    let askPassword: PasswordPrompt
    let waits = WaitQueue()
    private(set) var engine: ChatEngine?
    private var eventPump: Task<Void, Never>?
    /// Lines without `/` go to this friend.
    public private(set) var conversation: String?
    /// Friend ids as last seen, for Tab completion and the prompt (kept current by events).
    public private(set) var friendIDs: [String] = []
    /// Users whose friend request is open, for completing /accept and /reject.
    private var requesterIDs: [String] = []
    public private(set) var unread: [String: Int] = [:]
    /// The user's groups by shown `#name`, with their members, for Tab completion.
    var groupMembers: [String: [String]] = [:]

    /// Told the ids Tab completes whenever they change, so completion knows a new friend at once.
    let completionChanged: @Sendable (CompletionSnapshot) -> Void

    public init(
        options: ShellOptions, sink: any OutputSink, logger: Logger, askPassword: @escaping PasswordPrompt,
        completionChanged: @escaping @Sendable (CompletionSnapshot) -> Void = { _ in }
    ) {
        self.options = options
        self.sink = sink
        self.logger = logger
        self.askPassword = askPassword
        self.completionChanged = completionChanged
    }

    public var user: String? { engine?.user }

    /// Runs one line and says how it went; all output goes to the sink.
    public func run(_ line: String) async -> Outcome {
        switch CommandLineParser.parse(line, currentConversation: conversation) {
        case .empty:
            return .succeeded
        case .error(let message):
            show(.error(message))
            return .usageError
        case .text(let text, let peer):
            return await perform { try await self.sendMessage(text, to: peer) }
        case .command(let spec, let arguments):
            if spec.name == .quit { return .quit }
            return await perform { try await self.execute(spec.name, arguments) }
        }
    }

    private func perform(_ body: () async throws -> Void) async -> Outcome {
        do {
            try await body()
            return .succeeded
        } catch let failure as CommandFailure {
            show(.error(failure.message))
            return .failed
        } catch {
            show(.error(String(describing: error)))
            return .failed
        }
    }

    func show(_ output: ShellOutput) {
        sink.write(output)
    }

    /// Logs out and ends the event stream; called when the shell exits.
    public func shutdown(drainFor limit: Duration = .seconds(5)) async {
        guard let engine else { return }
        await engine.drain(within: limit)
        await logoutEngine()
    }

    // MARK: The engine

    func requireEngine() throws -> ChatEngine {
        guard let engine else { throw CommandFailure("not logged in: use /login ID first") }
        return engine
    }

    func startEngine(user: String, password: String) async throws {
        let configuration = EngineConfiguration(
            user: user, dataDirectory: options.dataRoot.appendingPathComponent(user),
            locatorHost: options.locatorHost, locatorPort: options.locatorPort, locatorMode: options.locatorMode,
            listenHost: options.listenHost, listenPort: options.listenPort)
        let engine = try ChatEngine(configuration: configuration, logger: logger)
        eventPump = Task { [waits] in
            for await event in engine.events {
                await self.observe(event)
                await waits.append(.event(event))
                self.sink.write(.event(event))
            }
        }
        self.engine = engine
        do {
            try await engine.login(password: password)
        } catch {
            await logoutEngine()
            throw error
        }
        await refreshFriends()
        await refreshGroups()
    }

    func logoutEngine() async {
        guard let engine else { return }
        await engine.close()
        await eventPump?.value
        eventPump = nil
        self.engine = nil
        conversation = nil
        friendIDs = []
        requesterIDs = []
        unread = [:]
        groupMembers = [:]
        completionChanged(CompletionSnapshot())
    }

    /// Keeps what the prompt and completion show in step with what happens.
    private func observe(_ event: EngineEvent) async {
        switch event {
        case .friendAdded, .friendRemoved, .friendRequest:
            await refreshFriends()
        case .message(let message) where message.sender == conversation:
            // Shown in the conversation the user is in: that is reading it.
            _ = try? await engine?.store.markRead(conversation: message.sender)
        case .message(let message):
            unread[message.sender, default: 0] += 1
        case .groupMessage(let group, _) where group == conversation:
            _ = try? await engine?.groupHistory(group, limit: 1)
        case .groupMessage(let group, _):
            unread[group, default: 0] += 1
        case .groupCreated, .groupMemberJoined, .groupMemberLeft, .groupUpdated:
            await refreshGroups()
        default:
            break
        }
    }

    func refreshFriends() async {
        guard let engine, let friends = try? await engine.friends() else { return }
        friendIDs = friends.map(\.id)
        requesterIDs = (try? await engine.requests().incoming.map(\.peer)) ?? requesterIDs
        publishCompletion()
        unread = Dictionary(uniqueKeysWithValues: friends.filter { $0.unread > 0 }.map { ($0.id, $0.unread) })
        if let conversation {
            unread[conversation] = nil
        }
    }

    func publishCompletion() {
        completionChanged(CompletionSnapshot(
            friends: friendIDs, requesters: requesterIDs, groups: groupMembers.keys.sorted(), groupMembers: groupMembers))
    }

    func clearUnread(_ peer: String) {
        unread[peer] = nil
    }

    func setConversation(_ peer: String?) async {
        conversation = peer
        if let peer, peer.hasPrefix("#"), let engine {
            _ = try? await engine.groupHistory(peer, limit: 1)
            unread[peer] = nil
        } else if let peer, let engine {
            _ = try? await engine.store.markRead(conversation: peer)
            unread[peer] = nil
        }
    }
}

/// A command that could not be done, with the one line that says why.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
