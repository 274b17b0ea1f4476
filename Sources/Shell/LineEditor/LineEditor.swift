import Dispatch
import Foundation
@preconcurrency import Glibc
import Synchronization

/// The interactive prompt: a libedit line editor on a thread of its own, so the engine's events can be printed
/// above the prompt at any moment without disturbing the line being typed.
///
/// All methods may be called from any thread or task; they queue work for the editor thread and return
/// (`stop()` waits for the terminal to be restored). Only for terminals: when standard input is not one
/// (`isTerminal(fd:)`), read plain lines instead.
///
/// ```swift
/// let editor = LineEditor(historyFile: url) { context in commands.completions(for: context) }
/// try editor.start()
/// editor.setPrompt("\u{1B}[1malice\u{1B}[0m> ")
/// for await input in editor.inputs { ... }
/// editor.stop()
/// ```
public final class LineEditor: Sendable {
    /// Lines and keys from the user, in order. Finishes after `stop()`.
    public let inputs: AsyncStream<Input>

    private let inputContinuation: AsyncStream<Input>.Continuation
    private let configuration: EditorSession.Configuration
    private let mailbox = EditorMailbox()
    private let lifecycle = Mutex(Lifecycle.idle)

    private enum Lifecycle {
        case idle
        case running(editorThread: pthread_t, finished: DispatchSemaphore)
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
        completer: @escaping @Sendable (CompletionContext) -> [String] = { _ in [] }
    ) {
        (inputs, inputContinuation) = AsyncStream.makeStream(of: Input.self)
        configuration = EditorSession.Configuration(
            historyFile: historyFile, historyLimit: historyLimit, echoesEnteredLines: echoesEnteredLines,
            completer: completer)
    }

    deinit {
        stop()
    }

    /// Whether `fd` is a terminal (the editor needs standard input and output to be).
    public static func isTerminal(fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// Takes over the terminal (raw mode, signal handlers for Ctrl-C, Ctrl-Z and resizes) and draws the prompt.
    public func start() throws(Error) {
        try lifecycle.withLock { state throws(Error) in
            guard case .idle = state else { throw .alreadyStarted }
            let claimed = Self.terminalOwned.withLock { owned in
                defer { owned = true }
                return !owned
            }
            guard claimed else { throw .alreadyRunning }
            let ready = DispatchSemaphore(value: 0)
            let finished = DispatchSemaphore(value: 0)
            let outcome = Mutex<Result<pthread_t, Error>?>(nil)
            let configuration = configuration
            let mailbox = mailbox
            let inputs = inputContinuation
            let thread = Thread {
                do throws(Error) {
                    let session = try EditorSession.start(configuration: configuration, mailbox: mailbox, inputs: inputs)
                    outcome.withLock { $0 = .success(pthread_self()) }
                    ready.signal()
                    session.run()
                    // The session (and with it libedit) is released at the end of this block, before `stop()`
                    // returns: el_end must not touch the terminal after the program has moved on.
                } catch {
                    outcome.withLock { $0 = .failure(error) }
                    ready.signal()
                }
                Self.terminalOwned.withLock { $0 = false }
                finished.signal()
            }
            thread.name = "LineEditor"
            thread.start()
            ready.wait()
            switch outcome.withLock({ $0 }) {
            case .success(let editorThread):
                state = .running(editorThread: editorThread, finished: finished)
            case .failure(let error):
                finished.wait()  // the thread has released the terminal
                throw error
            case nil:
                Self.terminalOwned.withLock { $0 = false }
                throw .systemCall("editor thread", errno: EAGAIN)
            }
        }
    }

    /// Replaces the prompt. ANSI escape sequences (colours) are fine: they are not counted as columns.
    public func setPrompt(_ prompt: String) {
        mailbox.post(.setPrompt(prompt))
    }

    /// Prints text (one or more lines) above the prompt; the prompt and the half-typed line are redrawn below
    /// it. Before `start()` the text waits; after `stop()` it goes straight to standard output.
    public func printAbove(_ text: String) {
        guard mailbox.post(.printAbove(text)) else {
            FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
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
    /// `inputs`. Waits for that to be done, so the program may exit right after. Safe to call more than once.
    public func stop() {
        enum Action {
            case nothing
            case finishHere
            case wait(for: DispatchSemaphore?)
        }
        let action: Action = lifecycle.withLock { state in
            switch state {
            case .idle:
                state = .stopped
                return .finishHere
            case .running(let editorThread, let finished):
                state = .stopped
                // From the editor thread itself (a completer calling stop) waiting would deadlock.
                return .wait(for: pthread_equal(editorThread, pthread_self()) != 0 ? nil : finished)
            case .stopped:
                return .nothing
            }
        }
        switch action {
        case .nothing:
            break
        case .finishHere:
            // Never started: no editor thread will answer what is queued.
            for case .readSecret(_, let reply) in mailbox.close() { reply.resume(returning: nil) }
            inputContinuation.finish()
        case .wait(let finished):
            mailbox.post(.stop)
            // Bounded: the editor thread may be blocked inside libedit (mid Ctrl-R search) until a key.
            _ = finished?.wait(timeout: .now() + .seconds(2))
        }
    }
}
