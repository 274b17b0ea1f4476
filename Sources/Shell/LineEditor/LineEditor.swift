import Foundation
@preconcurrency import Glibc
import Synchronization

/// The interactive prompt: a libedit line editor on a thread of its own, so the engine's events can be printed
/// above the prompt at any moment without disturbing the line being typed.
///
/// All methods may be called from any thread or task; they queue work for the editor thread and return
/// (`start()` waits for the editor to be ready, `stop()` for the terminal to be restored; neither blocks a
/// thread). Only for terminals: when standard input is not one
/// (`isTerminal(fd:)`), read plain lines instead.
///
/// ```swift
/// let editor = LineEditor(historyFile: url) { context in commands.completions(for: context) }
/// try await editor.start()
/// editor.setPrompt("\u{1B}[1malice\u{1B}[0m> ")
/// for await input in editor.inputs { ... }
/// await editor.stop()
/// ```
public final class LineEditor: Sendable {
    /// Lines and keys from the user, in order. Finishes after `stop()`.
    public let inputs: AsyncStream<Input>

    private let inputContinuation: AsyncStream<Input>.Continuation
    private let configuration: EditorSession.Configuration
    private let mailbox = EditorMailbox()
    private let width: TerminalWidth
    private let lifecycle = Mutex(Lifecycle.idle)
    /// Signalled when the editor thread has put the terminal back and ended.
    private let exit = ThreadExit()

    private enum Lifecycle {
        case idle
        case starting
        case running
        case stopped
    }

    /// libedit owns the terminal: one running editor per process.
    private static let terminalOwned = Mutex(false)

    /// - Parameters:
    ///   - historyFile: where history is loaded from and saved to after each `addHistory` (libedit's
    ///     format, mode 0600); nil keeps history in memory only.
    ///   - historyLimit: most lines kept.
    ///   - echoesEnteredLines: whether an entered line stays on screen after the prompt (like a shell), or is
    ///     wiped so the program can print it its own way (like an IRC client).
    ///   - completer: called on the editor thread when the user presses Tab; returns the candidates for
    ///     `context.word` (those not starting with it are ignored). It must be quick: the prompt waits.
    public init(
        historyFile: URL?,
        historyLimit: Int = 1000,
        echoesEnteredLines: Bool = true,
        completer: @escaping @Sendable (CompletionContext) -> Completion = { _ in Completion(candidates: []) }
    ) {
        (inputs, inputContinuation) = AsyncStream.makeStream(of: Input.self)
        let width = TerminalWidth()
        self.width = width
        configuration = EditorSession.Configuration(
            historyFile: historyFile, historyLimit: historyLimit, echoesEnteredLines: echoesEnteredLines,
            completer: completer, width: width)
    }

    /// The terminal's width as the editor last saw it (it follows resizes); nil before `start()`.
    public var columns: Int? { width.value }

    /// Tells a running editor to stop, without waiting: `stop()` is the way to wait.
    deinit {
        _ = finish()
    }

    /// Whether `fd` is a terminal (the editor needs standard input and output to be).
    public static func isTerminal(fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// Takes over the terminal (raw mode, signal handlers for Ctrl-C, Ctrl-Z and resizes) and draws the prompt.
    /// Returns once the editor thread is ready; the caller's task waits without holding a thread.
    public func start() async throws(Error) {
        try lifecycle.withLock { state throws(Error) in
            guard case .idle = state else { throw .alreadyStarted }
            let claimed = Self.terminalOwned.withLock { owned in
                defer { owned = true }
                return !owned
            }
            guard claimed else { throw .alreadyRunning }
            state = .starting
        }
        let configuration = configuration
        let mailbox = mailbox
        let inputs = inputContinuation
        let exit = exit
        let failure: Error? = await withCheckedContinuation { ready in
            let thread = Thread {
                do throws(Error) {
                    let session = try EditorSession.start(configuration: configuration, mailbox: mailbox, inputs: inputs)
                    ready.resume(returning: nil)
                    session.run()
                    // The session (and with it libedit) is released at the end of this block, before `stop()`
                    // returns: el_end must not touch the terminal after the program has moved on.
                } catch {
                    ready.resume(returning: error)
                }
                Self.terminalOwned.withLock { $0 = false }
                exit.signal()
            }
            thread.name = "LineEditor"
            thread.start()
        }
        let stoppedMeanwhile = lifecycle.withLock { state in
            guard case .starting = state else { return true }
            state = failure == nil ? .running : .stopped
            return false
        }
        if let failure {
            await exit.wait()  // the thread has released the terminal
            throw failure
        }
        if stoppedMeanwhile { mailbox.post(.stop) }
    }

    /// Replaces the prompt. ANSI escape sequences (colours) are fine: they are not counted as columns.
    public func setPrompt(_ prompt: String) {
        mailbox.post(.setPrompt(prompt))
    }

    /// Prints text (one or more lines) above the prompt; the prompt and the half-typed line are redrawn below
    /// it. Before `start()` the text waits; after `stop()` it goes straight to standard output.
    public func printAbove(_ text: String) {
        guard mailbox.post(.printAbove(text)) else {
            try? FileHandle.standardOutput.write(contentsOf: Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
            return
        }
    }

    /// Shows `lines` (plain text, each cut to the terminal's width) between the printed output and the
    /// prompt, replacing the previous status lines; an empty list removes them. For what changes in
    /// place (a transfer's progress) rather than scrolls by.
    public func setStatus(_ lines: [String]) {
        mailbox.post(.setStatus(lines))
    }

    /// Adds a line to history (Up recalls it) and saves the history file. The shell decides what goes in:
    /// never a line holding a password.
    public func addHistory(_ line: String) {
        mailbox.post(.addHistory(line))
    }

    /// Keeps history in `file` from now on: the current lines are dropped and the file's are loaded
    /// (each user has their own history).
    public func useHistoryFile(_ file: URL?) {
        mailbox.post(.useHistoryFile(file))
    }

    /// Rings the terminal's bell.
    public func ringBell() {
        mailbox.post(.bell)
    }

    /// Shows a desktop notification, if the terminal can.
    func notify(_ notification: TerminalNotification) {
        mailbox.post(.notify(notification))
    }

    /// Clears the screen; the prompt and the line being typed are drawn again at the top.
    public func clearScreen() {
        mailbox.post(.clearScreen)
    }

    /// Asks a question answered with one key, one of `choices` (lower case; upper case counts too); nil on
    /// Ctrl-C, Ctrl-D or when the editor stops. The line being typed stays.
    public func readChoice(prompt: String, choices: Set<Character>) async -> Character? {
        await withCheckedContinuation { reply in
            if !mailbox.post(.readChoice(prompt: prompt, choices: choices, reply: reply)) {
                reply.resume(returning: nil)
            }
        }
    }

    /// Reads one line without echo (a password) and returns to normal editing; nil on Ctrl-C, Ctrl-D or when
    /// the editor stops. The line never enters history. The half-typed line, if any, is discarded.
    public func readSecret(prompt: String) async -> String? {
        await withCheckedContinuation { reply in
            if !mailbox.post(.readSecret(prompt: prompt, reply: reply)) {
                reply.resume(returning: nil)
            }
        }
    }

    /// Wipes the prompt, restores the terminal (cooked mode, echo on) and the signal handlers, and finishes
    /// `inputs`. Waits for that to be done (at most a few seconds), so the program may exit right after. Safe to
    /// call more than once.
    public func stop() async {
        if finish() {
            // Bounded: the editor thread may be blocked inside libedit (mid Ctrl-R search) until a key.
            await exit.wait(atMost: .seconds(2))
        }
    }

    /// Moves to `.stopped` and tells whoever needs telling: the editor thread, or the waiters of an editor
    /// that never started. True when there is an editor thread to wait for.
    private func finish() -> Bool {
        let previous = lifecycle.withLock { state in
            defer { state = .stopped }
            return state
        }
        switch previous {
        case .idle:
            // Never started: no editor thread will answer what is queued.
            for command in mailbox.close() {
                if case .readSecret(_, let reply) = command { reply.resume(returning: nil) }
                if case .readChoice(_, _, let reply) = command { reply.resume(returning: nil) }
            }
            inputContinuation.finish()
            return false
        case .starting, .stopped:
            return false  // a starting editor is told by `start` once its thread is ready
        case .running:
            mailbox.post(.stop)
            return true
        }
    }
}
