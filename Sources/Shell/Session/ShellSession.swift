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
    let makeService: ChatServiceFactory
    private(set) var engine: (any ChatService)?
    private var eventPump: Task<Void, Never>?
    /// Serves the control socket while a user is logged in; cancelled at logout.
    var controlSocketTask: Task<Void, Never>?
    /// Events that came while a line of the user's was being sent (with `holdsEventsWhileSending`):
    /// shown after it, as they happened after it. Nil when no send is under way.
    private(set) var heldEvents: [EngineEvent]?
    /// What the prompt and completion show; every change is handed to `stateChanged`.
    public internal(set) var state = ShellState() {
        didSet { if state != oldValue { stateChanged(state) } }
    }
    var settings = ShellSettings()
    /// Friends who said they are away, with their reasons (from `away` events).
    var awayFriends: [String: String] = [:]
    /// Friends whose away reason this session already showed when the user wrote to them.
    var awayNoticeShown: Set<String> = []
    /// Ids of the texts this session sent to groups, whose per-member acks are not worth a line each.
    var groupTextIDs: Set<String> = []
    let stateChanged: @Sendable (ShellState) -> Void

    /// - Parameters:
    ///   - makeService: the engine for a user who logs in; by default a `ChatEngine` under `options.dataRoot`.
    ///   - stateChanged: told the new state whenever the prompt or completion would show something else.
    public init(
        options: ShellOptions, sink: any OutputSink, logger: Logger, askPassword: @escaping PasswordPrompt,
        makeService: ChatServiceFactory? = nil,
        stateChanged: @escaping @Sendable (ShellState) -> Void = { _ in }
    ) {
        self.options = options
        self.sink = sink
        self.logger = logger
        self.askPassword = askPassword
        self.makeService = makeService ?? ChatEngine.factory(options: options, logger: logger)
        self.stateChanged = stateChanged
    }

    public var user: String? { engine?.user }
    /// Lines without `/` go to this friend.
    public var conversation: String? { state.conversation }
    public var friendIDs: [String] { state.friends }
    /// Unread messages per conversation, as the prompt counts them.
    public var unread: [String: Int] { state.activity.compactMapValues { $0.unread > 0 ? $0.unread : nil } }

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
        case .command(let command):
            if command.spec == .quit { return .quit }
            return await perform { try await command.run(self) }
        }
    }

    /// Sends `text` to the current conversation as one message, whatever it starts with (a confirmed paste).
    public func sendToConversation(_ text: String) async -> Outcome {
        guard let conversation else {
            show(.error(CommandLineParser.noConversation))
            return .usageError
        }
        return await perform { try await self.sendMessage(text, to: conversation) }
    }

    func perform(_ body: () async throws -> Void) async -> Outcome {
        do {
            try await body()
            return .succeeded
        } catch let failure as CommandFailure {
            show(.error(failure.message))
            return .failed
        } catch let failure as CommandLineError {
            show(.error(failure.message))
            return .usageError
        } catch {
            show(.error(String(describing: error)))
            return .failed
        }
    }

    func show(_ output: ShellOutput) {
        sink.write(output)
        Self.controlCapture?.append(output)
    }

    /// Logs out and ends the event stream; called when the shell exits.
    public func shutdown(drainFor limit: Duration = .seconds(5)) async {
        guard let engine else { return }
        await engine.drain(within: limit)
        await logoutEngine()
    }

    // MARK: The engine

    func requireEngine() throws -> any ChatService {
        guard let engine else { throw CommandFailure("not logged in: use /login ID first") }
        return engine
    }

    func startEngine(user: String, password: String) async throws {
        let engine = try makeService(user)
        // Ends when the engine's event stream finishes, which `logoutEngine` causes and awaits.
        eventPump = Task { [waits] in
            for await event in engine.events {
                // Judged before `observe` updates what the shell knows (a group's owner).
                let shown = self.isShown(event)
                await self.observe(event)
                await waits.append(.event(event))
                if shown { self.showOrHold(event) }
                self.alertIfWanted(for: event)
            }
        }
        self.engine = engine
        // Before logging in: what arrives at once (an edit, a friend's choices) meets them.
        settings = ShellSettings.load(from: settingsFile(of: user))
        await applySettings(to: engine)
        do {
            try await engine.logIn(password: password)
        } catch {
            await logoutEngine()
            throw error
        }
        state.user = user
        await refreshFriends()
        await refreshGroups()
        await startControlSocket(for: user)
    }

    func logoutEngine() async {
        guard let engine else { return }
        await stopControlSocket()
        await engine.close()
        await eventPump?.value
        eventPump = nil
        self.engine = nil
        settings = ShellSettings()
        awayFriends = [:]
        awayNoticeShown = []
        groupTextIDs = []
        state = ShellState()
        sink.conversationChanged(to: nil)
    }

    /// Hands the engine the settings that are its business.
    func applySettings(to engine: any ChatService) async {
        await engine.setEchoCancellation(settings.echoCancellation)
        await engine.shareReceipts(readReceipts: settings.readReceipts, typing: settings.typing)
        await engine.setKeepEdits(settings.keepEdits)
    }

    func settingsFile(of user: String) -> URL {
        options.dataRoot.appendingPathComponent(user).appendingPathComponent("settings")
    }

    /// Keeps what the prompt and completion show in step with what happens.
    private func observe(_ event: EngineEvent) async {
        switch event {
        case .friends, .session(.securityWarning):
            // A security warning may be a friend's new key: the prompt shows it.
            await refreshFriends()
        case .calls(.incoming), .calls(.ringing), .calls(.started), .calls(.ended):
            state.call = await engine?.currentCall
        case .away(.changed(let friend, let reason)):
            awayFriends[friend] = reason
            awayNoticeShown.remove(friend)
        case .receipts(.typing(let friend, let active)):
            if active { state.typing.insert(friend) } else { state.typing.remove(friend) }
        case .messaging(.message(let message)) where message.sender == conversation:
            // Shown in the conversation the user is in: that is reading it.
            state.typing.remove(message.sender)
            try? await engine?.markRead(message.sender)
        case .messaging(.message(let message)):
            state.typing.remove(message.sender)
            noteActivity(in: message.sender, text: message.body)
        case .groups(.message(let group, _)) where group == conversation:
            _ = try? await engine?.groupHistory(group, limit: 1)  // marks it read
        case .groups(.message(let group, let message)):
            noteActivity(in: group, text: message.body)
        case .groups(.created), .groups(.memberJoined), .groups(.memberLeft), .groups(.updated):
            await refreshGroups()
        default:
            break
        }
    }

    /// Prints an event, or keeps it until the line being sent is shown. A transfer's progress is no
    /// line of the scrollback: it is shown at once.
    private func showOrHold(_ event: EngineEvent) {
        if case .transfers(.progress) = event {
            sink.write(.event(event))
        } else if heldEvents != nil {
            heldEvents?.append(event)
        } else {
            sink.write(.event(event))
        }
    }

    /// Runs `send` (which shows the user's line) with the events that come meanwhile held back, then
    /// shows them: the line was typed before they happened.
    func holdingEvents<T>(during send: () async throws -> T) async rethrows -> T {
        guard options.holdsEventsWhileSending, heldEvents == nil else { return try await send() }
        heldEvents = []
        defer {
            let held = heldEvents ?? []
            heldEvents = nil
            for event in held { sink.write(.event(event)) }
        }
        return try await send()
    }

    /// `--json` gets every event. A person is spared receipts and typing (the prompt and `/history` show
    /// them), one `delivered` line a member for each line
    /// they write to a group (`/history #GROUP` shows what every member has), and a group's new
    /// version unless its owner changed (who joined or left is a line of its own).
    private func isShown(_ event: EngineEvent) -> Bool {
        guard !options.json else { return true }
        switch event {
        case .messaging(.delivered(_, let id)): return !groupTextIDs.contains(id)
        case .groups(.updated(let group, let owner, _)): return state.groupOwners[group] != owner
        // The prompt shows who types, and `/history` how far a friend read: no line each.
        case .receipts: return false
        default: return true
        }
    }

    /// One more unread message in `conversation`, for the prompt; one that mentions the user outranks the rest.
    private func noteActivity(in conversation: String, text: String) {
        let mentioned = user.map { Mention.mentions($0, in: text) } ?? false
        var activity = state.activity[conversation] ?? Activity(unread: 0, level: .message)
        activity.unread += 1
        activity.level = max(activity.level, mentioned ? .mention : .message)
        state.activity[conversation] = activity
    }

    private func alertIfWanted(for event: EngineEvent) {
        guard case .messaging(.message(let message)) = event, message.direction == .incoming, let user else { return }
        if settings.bell.rings(text: message.body, from: message.sender, me: user, conversation: conversation) {
            sink.perform(.bell)
        }
        if settings.notify.rings(text: message.body, from: message.sender, me: user, conversation: conversation) {
            sink.perform(.notify(title: "p2pchat: \(message.sender)", body: message.isAction ? "* \(message.sender) \(message.body)" : message.body))
        }
    }

    func refreshFriends() async {
        guard let engine, let friends = try? await engine.friends() else { return }
        var state = state
        state.friends = friends.map(\.id)
        state.verified = Set(friends.filter(\.verified).map(\.id))
        state.keyChanged = Set(friends.filter(\.keyChanged).map(\.id))
        state.requesters = (try? await engine.requests().incoming.map(\.peer)) ?? state.requesters
        // Counts of friends no longer friends go at once; those of groups stay (refreshGroups keeps them).
        var activity = state.activity.filter { $0.key.hasPrefix("#") }
        for friend in friends where friend.unread > 0 && friend.id != conversation {
            activity[friend.id] = Activity(
                unread: friend.unread, level: max(state.activity[friend.id]?.level ?? .message, .message))
        }
        state.activity = activity
        self.state = state
    }

    func clearUnread(_ peer: String) {
        state.activity[peer] = nil
    }

    func setConversation(_ peer: String?) async {
        state.conversation = peer
        sink.conversationChanged(to: peer)
        if let peer, let engine {
            if peer.hasPrefix("#") {
                _ = try? await engine.groupHistory(peer, limit: 1)  // marks the group read
            } else {
                try? await engine.markRead(peer)
            }
            state.activity[peer] = nil
        }
    }
}

/// A command that could not be done, with the one line that says why.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
