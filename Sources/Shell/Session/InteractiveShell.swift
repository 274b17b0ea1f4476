import ChatEngine
import Foundation
import Logging
import Synchronization

/// The shell at a terminal: a libedit prompt showing who you are, who you talk to and where
/// something happened, events printed above it as they happen, Tab completion, keys that switch
/// conversations, pastes that ask first, and history per user.
public enum InteractiveShell {
    public static func run(options: ShellOptions, logger: Logger, greeting: [String] = []) async -> Int32 {
        let options = {
            var options = options
            options.waitsForTransfers = false  // the progress line shows the transfer; the prompt stays free
            return options
        }()
        let shown = Mutex(ShellState())
        let editor = LineEditor(historyFile: options.dataRoot.appendingPathComponent("history"), echoesEnteredLines: false) { context in
            completion(for: context, in: shown.withLock { $0 })
        }
        let sink = EditorSink(editor: editor, color: options.color, dataRoot: options.dataRoot)
        var sessionOptions = options
        sessionOptions.callsInBackground = true
        sessionOptions.holdsEventsWhileSending = true
        let session = ShellSession(
            options: sessionOptions, sink: sink, logger: logger,
            askPassword: { prompt in await editor.readSecret(prompt: prompt) },
            stateChanged: { state in
                shown.withLock { $0 = state }
                editor.setPrompt(prompt(for: state, color: options.color))
            })
        do {
            try await editor.start()
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("p2pchat: \(error)\n".utf8))
            return 1
        }
        for line in greeting { sink.write(.info(line)) }
        sink.write(.info("type /help for commands, /login ID to start, /quit or Ctrl-D to leave"))
        editor.setPrompt(prompt(for: ShellState(), color: options.color))
        var interrupted = false
        inputs: for await input in editor.inputs {
            if input != .interrupt { interrupted = false }
            switch input {
            case .line(let line):
                editor.addHistory(historyForm(of: line))
                if await session.run(line) == .quit { break inputs }
            case .conversationKey(let key):
                await session.switchConversation(key)
            case .paste(let lines):
                if await paste(lines, editor: editor, session: session, sink: sink) == .quit { break inputs }
            case .edited(let text):
                await session.lineEdited(text)
            case .endOfInput:
                break inputs
            case .interrupt:
                if interrupted { break inputs }
                interrupted = true
                sink.write(.info("press Ctrl-C again, Ctrl-D or type /quit to leave"))
            }
        }
        await session.shutdown()
        await editor.stop()
        return 0
    }

    /// Several pasted lines run only when the user says so: as typed (commands included), as one message to
    /// the current conversation, or not at all.
    static func paste(_ lines: [String], editor: LineEditor, session: ShellSession, sink: EditorSink) async -> ShellSession.Outcome {
        let peer = await session.conversation
        let question = peer.map { "paste \(lines.count) lines to \($0)? (y)es, (n)o, (o)ne message " }
            ?? "paste \(lines.count) lines? (y)es, (n)o "
        switch await editor.readChoice(prompt: question, choices: peer == nil ? ["y", "n"] : ["y", "n", "o"]) {
        case "y":
            for line in lines {
                editor.addHistory(historyForm(of: line))
                if await session.run(line) == .quit { return .quit }
            }
            return .succeeded
        case "o":
            return await session.sendToConversation(lines.joined(separator: "\n"))
        default:
            sink.write(.info("paste of \(lines.count) lines dropped"))
            return .succeeded
        }
    }

    /// Tab's candidates: ids in chat text cycle (`bob: ` at the start of a line, `bob ` elsewhere); commands,
    /// arguments and paths complete as far as they agree.
    static func completion(for context: CompletionContext, in state: ShellState) -> LineEditor.Completion {
        let scalars = context.line.unicodeScalars
        let cursor = scalars.distance(from: scalars.startIndex, to: context.cursor.samePosition(in: scalars) ?? scalars.endIndex)
        let candidates = Completer.candidates(
            line: context.line, cursor: cursor, friends: state.friends, requesters: state.requesters, groups: state.groups,
            groupMembers: state.groupMembers)
        guard Completer.isChatText(line: context.line, cursor: cursor) else {
            return LineEditor.Completion(candidates: candidates.candidates)
        }
        let atLineStart = context.precedingWords.isEmpty
        return LineEditor.Completion(candidates: candidates.candidates, style: .cycle(suffix: atLineStart ? ": " : " "))
    }

    /// What history keeps of a line: never a password.
    static func historyForm(of line: String) -> String {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = words.first, first.lowercased() == "/login", words.count > 2 {
            return "/login \(words[1])"
        }
        return line
    }

    /// `[alice→bob✓ +carol:2] ` — who I am, who I talk to (✓ once verified, `NEW KEY` while a key they
    /// presented waits for `/verify`, ` …` while they type to me), who wrote while I looked elsewhere: unread counts, coloured by what
    /// came (a message that mentions me outranks any other).
    static func prompt(for state: ShellState, color: Bool) -> String {
        guard let user = state.user else { return "[p2pchat] " }
        var text = user
        if state.away { text += " (away)" }
        if let call = state.call {
            let shown = switch call.phase {
            case .calling: " (calling \(call.peer))"
            case .ringing: " (\(call.peer) calling)"
            case .talking, .hangingUp: " (call: \(call.peer))"
            }
            text += shown
        }
        if let peer = state.conversation {
            text += "→" + peer
            if state.keyChanged.contains(peer) {
                text += color ? " \u{1B}[1;31mNEW KEY\u{1B}[0m" : " NEW KEY"
            } else if state.verified.contains(peer) {
                text += "✓"
            }
            if state.typing.contains(peer) { text += " …" }
        }
        let marks = state.activity.sorted { $0.key < $1.key }.map { peer, activity in
            let mark = "+\(peer):\(activity.unread)"
            return color ? "\u{1B}[\(colour(of: activity.level))m\(mark)\u{1B}[0m" : mark
        }
        if !marks.isEmpty { text += " " + marks.joined(separator: " ") }
        return "[\(text)] "
    }

    static func colour(of level: Activity.Level) -> String {
        switch level {
        case .message: "1;33"
        case .mention: "1;35"
        }
    }
}

/// Prints above the prompt, and gives the logged-in user their own history.
final class EditorSink: OutputSink {
    private let editor: LineEditor
    private let renderers: RendererTracker
    private let dataRoot: URL

    private let progress = TransferStatusLines()

    init(editor: LineEditor, color: Bool, dataRoot: URL) {
        self.editor = editor
        self.renderers = RendererTracker(color: color, width: { [editor] in editor.columns })
        self.dataRoot = dataRoot
    }

    func write(_ output: ShellOutput) {
        switch output {
        case .event(.session(.loggedIn(let user, _))):
            editor.useHistoryFile(dataRoot.appendingPathComponent(user).appendingPathComponent("history"))
        case .event(.session(.loggedOut)):
            editor.useHistoryFile(dataRoot.appendingPathComponent("history"))
        case .event(.transfers(.progress(let transfer, let rate))):
            if let lines = progress.update(transfer, line: OutputRenderer.progressLine(transfer, bytesPerSecond: rate)) {
                editor.setStatus(lines)
            }
            return
        case .event(.transfers(.received(let transfer))), .event(.transfers(.sent(let transfer))), .event(.transfers(.failed(let transfer, _))),
            .event(.transfers(.cancelled(let transfer, _))):
            editor.setStatus(progress.remove(transfer.number))
        default:
            break
        }
        editor.printAbove(renderers.renderer(for: output).human(output))
    }

    func conversationChanged(to peer: String?) {
        renderers.conversationChanged(to: peer)
    }

    func perform(_ action: TerminalAction) {
        switch action {
        case .bell: editor.ringBell()
        case .clear: editor.clearScreen()
        case .notify(let title, let body): editor.notify(TerminalNotification(title: title, body: body))
        }
    }
}
