import ChatEngine
import Foundation
import Logging
import Synchronization

/// The shell at a terminal: a libedit prompt showing who you are and who you talk to, events
/// printed above it as they happen, Tab completion, and history per user.
public enum InteractiveShell {
    public static func run(options: ShellOptions, logger: Logger, greeting: [String] = []) async -> Int32 {
        let completion = Mutex(CompletionSnapshot())
        let editor = LineEditor(historyFile: options.dataRoot.appendingPathComponent("history"), echoesEnteredLines: false) { context in
            let snapshot = completion.withLock { $0 }
            let offset = context.line.unicodeScalars.distance(
                from: context.line.unicodeScalars.startIndex, to: context.cursor.samePosition(in: context.line.unicodeScalars) ?? context.line.unicodeScalars.endIndex)
            return Completer.candidates(
                line: context.line, cursor: offset, friends: snapshot.friends, requesters: snapshot.requesters,
                groups: snapshot.groups, groupMembers: snapshot.groupMembers
            ).candidates
        }
        let sink = EditorSink(editor: editor, color: options.color, dataRoot: options.dataRoot)
        let session = ShellSession(
            options: options, sink: sink, logger: logger,
            askPassword: { prompt in await editor.readSecret(prompt: prompt) },
            completionChanged: { snapshot in completion.withLock { $0 = snapshot } })
        do {
            try editor.start()
        } catch {
            FileHandle.standardError.write(Data("p2pchat: \(error)\n".utf8))
            return 1
        }
        for line in greeting { sink.write(.info(line)) }
        sink.write(.info("type /help for commands, /login ID to start, /quit or Ctrl-D to leave"))
        editor.setPrompt(await prompt(for: session, color: options.color))
        var interrupted = false
        inputs: for await input in editor.inputs {
            switch input {
            case .line(let line):
                interrupted = false
                editor.addHistory(historyForm(of: line))
                let outcome = await session.run(line)
                if outcome == .quit { break inputs }
            case .endOfInput:
                break inputs
            case .interrupt:
                if interrupted { break inputs }
                interrupted = true
                sink.write(.info("press Ctrl-C again, Ctrl-D or type /quit to leave"))
            }
            editor.setPrompt(await prompt(for: session, color: options.color))
        }
        await session.shutdown()
        editor.stop()
        return 0
    }

    /// What history keeps of a line: never a password.
    static func historyForm(of line: String) -> String {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = words.first, first.lowercased() == "/login", words.count > 2 {
            return "/login \(words[1])"
        }
        return line
    }

    /// `[alice→bob +carol:2] ` — who I am, who I talk to, who wrote while I looked elsewhere.
    static func prompt(for session: ShellSession, color: Bool) async -> String {
        guard let user = await session.user else { return "[p2pchat] " }
        var text = user
        if let peer = await session.conversation { text += "→" + peer }
        let unread = await session.unread.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let marks = unread.map { "+\($0.key):\($0.value)" }.joined(separator: " ")
        if !marks.isEmpty { text += " " + (color ? "\u{1B}[1;33m\(marks)\u{1B}[0m" : marks) }
        return "[\(text)] "
    }
}

/// What Tab completes besides commands and paths: the ids the session knows right now.
public struct CompletionSnapshot: Sendable {
    var friends: [String] = []
    var requesters: [String] = []
    var groups: [String] = []
    /// The members of each group, by its shown `#name`, for `/group kick #GROUP ID`.
    var groupMembers: [String: [String]] = [:]
}

/// Prints above the prompt, and gives the logged-in user their own history.
final class EditorSink: OutputSink {
    private let editor: LineEditor
    private let renderers: RendererTracker
    private let dataRoot: URL

    init(editor: LineEditor, color: Bool, dataRoot: URL) {
        self.editor = editor
        self.renderers = RendererTracker(color: color)
        self.dataRoot = dataRoot
    }

    func write(_ output: ShellOutput) {
        switch output {
        case .event(.loggedIn(let user, _)):
            editor.useHistoryFile(dataRoot.appendingPathComponent(user).appendingPathComponent("history"))
        case .event(.loggedOut):
            editor.useHistoryFile(dataRoot.appendingPathComponent("history"))
        default:
            break
        }
        editor.printAbove(renderers.renderer(for: output).human(output))
    }
}
