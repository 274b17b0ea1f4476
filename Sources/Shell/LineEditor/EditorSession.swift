@preconcurrency import CEditLine
import Foundation
@preconcurrency import Glibc

/// The editor thread's loop over libedit and the terminal. Created, used and ended on the editor thread only:
/// libedit is single-threaded, so other threads reach it through the `EditorMailbox`.
///
/// The thread sits in `poll()` on standard input and a ``WakePipe``. libedit runs unbuffered
/// (`EL_UNBUFFERED`): each call to `el_wgets` handles one key and returns, so between keys the thread can
/// print above the prompt — clear the edited area, print, and have libedit redraw prompt and line.
///
/// The jobs around the loop have files of their own: the C handles (``LibeditHandle``, ``EditorHistory``), the
/// ``WakePipe``, signals (`+Signals`), password input (`+Secret`), Tab (`+Completion`, over ``CompletionListing``
/// and ``CompletionCycle``), the editor's own keys, bracketed paste and one-key questions (`+Keys`), pastes the
/// terminal did not mark (`+PasteDetection`), and Ctrl-R (`+Search`, over ``HistorySearch``).
final class EditorSession {
    struct Configuration: Sendable {
        var historyFile: URL?
        var historyLimit: Int
        var echoesEnteredLines: Bool
        var completer: @Sendable (CompletionContext) -> LineEditor.Completion
        var width: TerminalWidth
    }

    enum Mode {
        case editing
        /// Reading a password: libedit is off, the terminal is in cooked mode without echo.
        case secret(prompt: String, typed: [UInt8], reply: CheckedContinuation<String?, Never>)
        /// Waiting for one key that answers a question; libedit waits, the line stays as it was.
        case choice(prompt: String, choices: Set<Character>, reply: CheckedContinuation<Character?, Never>)
        /// Ctrl-R: the prompt and line show the search; the shell's prompt and the line as it was wait here.
        case search(HistorySearch, savedPrompt: String, savedLine: String)
    }

    let configuration: Configuration
    let mailbox: EditorMailbox
    let inputs: AsyncStream<LineEditor.Input>.Continuation
    let libedit: LibeditHandle
    let wake: WakePipe
    /// The terminal as it was before the editor started; put back on every way out.
    let originalTerminal: termios
    var prompt = PromptText("")
    /// The text `prompt` was made from.
    var promptSource = ""
    /// Lines kept just above the prompt (`setStatus`), and how many rows of them are on screen now.
    var status: [String] = []
    var statusRows = 0
    /// The C string libedit's prompt callback returns; it must stay valid until the next change.
    var promptCString: UnsafeMutablePointer<CChar>
    var mode = Mode.editing
    var readsInput = true
    private var running = true
    var signals = SignalRelay.Previous()
    /// Set by Ctrl-Z: after `fg` the prompt is redrawn on a fresh row rather than over the old one.
    var suspended = false
    /// The last Tab that took an id from a list, so the next Tab takes the next one.
    var cycle: CompletionCycle?
    /// The line as the program was last told it (`.edited`): its length and start.
    var reportedLine: (count: Int, start: [Unicode.Scalar]) = (0, [])

    private init(
        configuration: Configuration, mailbox: EditorMailbox, inputs: AsyncStream<LineEditor.Input>.Continuation,
        libedit: LibeditHandle, wake: WakePipe, terminal: termios
    ) {
        self.configuration = configuration
        self.mailbox = mailbox
        self.inputs = inputs
        self.libedit = libedit
        self.wake = wake
        self.originalTerminal = terminal
        self.promptCString = strdup("")
    }

    deinit {
        free(promptCString)
    }

    // MARK: Setting up

    /// Prepares libedit and the terminal and draws the prompt; throws when there is no terminal to edit on.
    static func start(
        configuration: Configuration, mailbox: EditorMailbox, inputs: AsyncStream<LineEditor.Input>.Continuation
    ) throws(LineEditor.Error) -> EditorSession {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        TerminalText.useUTF8Locale()
        var terminal = termios()
        guard tcgetattr(STDIN_FILENO, &terminal) == 0 else { throw .systemCall("tcgetattr", errno: errno) }
        // A program that crashed earlier may have left the terminal raw or silent: libedit takes the terminal it
        // finds as "cooked", and the editor restores it on the way out, so start from a sane one.
        let (saneLocal, saneOutput, saneInput) = (tcflag_t(ICANON | ECHO | ISIG), tcflag_t(OPOST | ONLCR), tcflag_t(ICRNL))
        if terminal.c_lflag & saneLocal != saneLocal || terminal.c_oflag & saneOutput != saneOutput
            || terminal.c_iflag & saneInput != saneInput
        {
            terminal.c_lflag |= saneLocal
            terminal.c_oflag |= saneOutput
            terminal.c_iflag |= saneInput
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &terminal)
        }
        let wake = try WakePipe()
        let history = try EditorHistory(file: configuration.historyFile, limit: configuration.historyLimit)
        let libedit = try LibeditHandle(history: history)
        let session = EditorSession(
            configuration: configuration, mailbox: mailbox, inputs: inputs, libedit: libedit, wake: wake,
            terminal: terminal)
        session.configureLibedit()
        session.signals = SignalRelay.install(wakeFD: wake.writeFD, terminal: terminal)
        mailbox.open(wakeFD: wake.writeFD)
        // Take the prompt from commands posted before start, so the first one drawn is already right.
        var pending: [EditorCommand] = []
        for command in mailbox.takeAll() {
            if case .setPrompt(let text) = command { session.replacePrompt(text) } else { pending.append(command) }
        }
        // Raw mode, and the prompt is drawn.
        libedit.set(EL_UNBUFFERED, true)
        configuration.width.update(libedit.columns)
        session.emit(Self.bracketedPasteOn)
        session.handle(pending)
        return session
    }

    private func configureLibedit() {
        let editLine = libedit.editLine
        p2p_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        // libedit's own handlers would switch to cooked mode and re-send the signal to the process group.
        libedit.set(EL_SIGNAL, false)
        p2p_el_set_editor(editLine, "emacs")
        p2p_el_set_prompt(editLine, Self.promptCallback, CChar(TerminalText.literalMarker.value))
        addKeyFunctions()
        let bindings = [
            ("^I", "p2p-complete"),
            ("^L", "p2p-clear"),
            ("^U", "em-kill-line"),
            ("^R", "p2p-search"),
            ("^W", "ed-delete-prev-word"),
            // Home, End, Delete, Insert and Ctrl-arrows as xterm-like terminals send them.
            ("\\e[1~", "ed-move-to-beg"), ("\\e[4~", "ed-move-to-end"),
            ("\\e[7~", "ed-move-to-beg"), ("\\e[8~", "ed-move-to-end"),
            ("\\e[H", "ed-move-to-beg"), ("\\e[F", "ed-move-to-end"),
            ("\\eOH", "ed-move-to-beg"), ("\\eOF", "ed-move-to-end"),
            ("\\e[3~", "ed-delete-next-char"), ("\\e[2~", "em-toggle-overwrite"),
            ("\\e[1;5C", "em-next-word"), ("\\e[1;5D", "ed-prev-word"),
            ("\\e[5C", "em-next-word"), ("\\e[5D", "ed-prev-word"),
            // Esc x opens libedit's own command line, which reads a whole line inside one el_wgets call:
            // events would stop until it ends.
            ("\\ex", "ed-unassigned"), ("\\eX", "ed-unassigned"),
        ]
        for (keys, function) in bindings {
            libedit.bind(keys, to: function)
        }
        // The user's ~/.editrc (lines may start with "p2pchat:") comes last, so it wins.
        el_source(editLine, nil)
    }

    // MARK: libedit callbacks

    /// The session behind an `EditLine` (libedit's callbacks carry only that).
    static func session(of editLine: OpaquePointer?) -> EditorSession? {
        guard let editLine, let data = p2p_el_clientdata(editLine) else { return nil }
        return Unmanaged<EditorSession>.fromOpaque(data).takeUnretainedValue()
    }

    private static let promptCallback: p2p_prompt_fn = { editLine in
        // libedit dereferences what it gets: never return NULL.
        if let session = session(of: editLine) { return session.promptCString }
        return UnsafeMutablePointer(mutating: emptyCString)
    }

    private static var emptyCString: UnsafePointer<CChar> {
        UnsafeRawPointer(("" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
    }

    // MARK: The loop

    /// Runs until `stop`, then puts the terminal back.
    func run() {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0),
        ]
        while running {
            fds[0].fd = readsInput ? STDIN_FILENO : -1
            fds[0].revents = 0
            fds[1].revents = 0
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 { wakeUp() }
            if running, readsInput, fds[0].revents != 0 { readInput(events: fds[0].revents) }
            reportEdit()
        }
        shutDown()
    }

    /// Signals first (a Ctrl-C before the commands that followed it), then commands.
    private func wakeUp() {
        handle(signals: wake.drain())
        handle(mailbox.takeAll())
    }

    private func handle(_ commands: [EditorCommand]) {
        var printed: [String] = []
        for command in commands {
            // Consecutive prints share one clear-and-redraw.
            if case .printAbove(let text) = command {
                printed.append(text)
                continue
            }
            if !printed.isEmpty {
                printAbove(printed)
                printed.removeAll()
            }
            switch command {
            case .printAbove: break
            case .setPrompt(let text): setPrompt(text)
            case .setStatus(let lines): setStatus(lines)
            case .addHistory(let line): libedit.history.add(line)
            case .useHistoryFile(let url): libedit.history.use(url)
            case .readSecret(let prompt, let reply): beginSecret(prompt: prompt, reply: reply)
            case .readChoice(let prompt, let choices, let reply): beginChoice(prompt, choices, reply)
            case .bell: emit("\u{7}")
            case .notify(let notification): emit(notification.sequence(insideTmux: TerminalNotification.insideTmux))
            case .clearScreen: clearScreen()
            case .stop: running = false
            }
        }
        if !printed.isEmpty { printAbove(printed) }
    }

    private func readInput(events: Int16) {
        // A tty that hung up polls as readable forever with nothing to read.
        var available: Int32 = 0
        let hungUp = events & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
        if hungUp || ioctl(STDIN_FILENO, UInt(FIONREAD), &available) != 0 || available <= 0 {
            if !hungUp, available == 0, case .secret = mode {
                readSecretBytes()  // a canonical-mode Ctrl-D reads as 0 bytes
                return
            }
            inputEnded()
            return
        }
        switch mode {
        case .editing: editKey()
        case .secret: readSecretBytes()
        case .choice: readChoiceKey()
        case .search: readSearchKeys()
        }
    }

    /// Lets libedit handle the next key (or escape sequence, or multibyte character).
    private func editKey() {
        var count: Int32 = 0
        errno = 0
        guard let buffer = el_wgets(libedit.editLine, &count) else {
            // NULL is also the normal answer for an empty line; only a failed read means the end.
            if count < 0, [EIO, EBADF, ENXIO].contains(errno) { inputEnded() }
            return
        }
        let length = Int(count)
        guard length > 0 else { return }
        let last = buffer[length - 1]
        if length == 1, last == 4 {  // libedit turns Ctrl-D on an empty line into a lone ^D
            // libedit echoed "^D" after the prompt; wipe it along with the prompt and start over.
            clearEditedArea()
            resetLine()
            inputs.yield(.endOfInput)
        } else if last == 10 || last == 13 {
            let typed = LibeditHandle.scalars(buffer, count: length - 1)
            if !configuration.echoesEnteredLines {
                // libedit already moved below the line: go back up over prompt and line, and wipe them.
                emit("\u{1B}[\(endRow(of: typed) + 1)A\r" + Self.eraseDown)
            }
            resetLine()
            let line = String(String.UnicodeScalarView(typed))
            // Lines that came in together were pasted, bracketed or not: the program asks before running them.
            let following = linesArrivingWith(lineEndedBy: last == 13 ? 13 : 10)
            inputs.yield(following.isEmpty ? .line(line) : .paste([line] + following))
        } else {
            settleZeroWidthCharacters()
        }
    }

    func inputEnded() {
        readsInput = false
        if case .secret(_, _, let reply) = mode { endSecret(nil, reply: reply) }
        if case .choice(_, _, let reply) = mode { endChoice(nil, reply: reply) }
        inputs.yield(.endOfInput)
    }

    // MARK: Shutting down

    private func shutDown() {
        switch mode {
        case .editing where readsInput, .search:
            clearEditedArea()
        case .editing:
            break
        case .secret(_, _, let reply):
            endSecret(nil, reply: reply)
            clearEditedArea()
        case .choice(_, _, let reply):
            endChoice(nil, reply: reply)
            clearEditedArea()
        }
        emit(Self.bracketedPasteOff)
        // Cooked mode; then the terminal exactly as it was found.
        libedit.set(EL_UNBUFFERED, false)
        SignalRelay.uninstall(signals)
        var terminal = originalTerminal
        _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &terminal)
        // Commands that came too late: secrets get no answer, text is printed plainly rather than lost.
        for command in mailbox.close() {
            switch command {
            case .readSecret(_, let reply): reply.resume(returning: nil)
            case .readChoice(_, _, let reply): reply.resume(returning: nil)
            case .printAbove(let text): emit(Self.terminalLines(text))
            case .setPrompt, .setStatus, .addHistory, .useHistoryFile, .bell, .notify, .clearScreen, .stop: break
            }
        }
        inputs.finish()
    }
}
