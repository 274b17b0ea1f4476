@preconcurrency import CEditLine
import Foundation
@preconcurrency import Glibc

/// Everything that touches libedit and the terminal. Created, used and ended on the editor thread only:
/// libedit is single-threaded, so other threads reach it through the `EditorMailbox`.
///
/// The thread sits in `poll()` on standard input and a wake-up pipe. libedit runs unbuffered
/// (`EL_UNBUFFERED`): each call to `el_wgets` handles one key and returns, so between keys the thread can
/// print above the prompt — clear the edited area, print, and have libedit redraw prompt and line.
final class EditorSession {
    struct Configuration: Sendable {
        var historyFile: URL?
        var historyLimit: Int
        var echoesEnteredLines: Bool
        var completer: @Sendable (CompletionContext) -> [String]
    }

    private enum Mode {
        case editing
        /// Reading a password: libedit is off, the terminal is in cooked mode without echo.
        case secret(prompt: String, typed: [UInt8], reply: CheckedContinuation<String?, Never>)
    }

    private let configuration: Configuration
    /// Where history is kept now; the shell switches it to the user's own file at login.
    private var historyFile: URL?
    private let mailbox: EditorMailbox
    private let inputs: AsyncStream<LineEditor.Input>.Continuation
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// The terminal as it was before the editor started; put back on every way out.
    private let originalTerminal: termios
    private var prompt = PromptText("")
    /// Lines kept just above the prompt (`setStatus`), and how many rows of them are on screen now.
    private var status: [String] = []
    private var statusRows = 0
    /// The C string libedit's prompt callback returns; it must stay valid until the next change.
    private var promptCString: UnsafeMutablePointer<CChar>
    private var mode = Mode.editing
    private var readsInput = true
    private var running = true
    private var signals = SignalRelay.Previous()
    /// Set by Ctrl-Z: after `fg` the prompt is redrawn on a fresh row rather than over the old one.
    private var suspended = false
    /// Most candidates a Tab listing shows.
    private static let listingLimit = 200

    private init(
        configuration: Configuration, mailbox: EditorMailbox, inputs: AsyncStream<LineEditor.Input>.Continuation,
        editLine: OpaquePointer, history: OpaquePointer, wakeRead: Int32, wakeWrite: Int32, terminal: termios
    ) {
        self.configuration = configuration
        self.historyFile = configuration.historyFile
        self.mailbox = mailbox
        self.inputs = inputs
        self.editLine = editLine
        self.history = history
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.originalTerminal = terminal
        self.promptCString = strdup("")
    }

    /// Runs on the editor thread, which holds the only reference.
    deinit {
        p2p_el_set_clientdata(editLine, nil)
        el_end(editLine)
        history_end(history)
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
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw .systemCall("pipe", errno: errno) }
        for fd in pipeFDs {
            // Non-blocking: a signal handler must never block on a full pipe, nor the editor on an empty one.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        guard let editLine = el_init("p2pchat", stdin, stdout, stderr) else {
            close(pipeFDs[0])
            close(pipeFDs[1])
            throw .systemCall("el_init", errno: errno)
        }
        guard let history = history_init() else {
            el_end(editLine)
            close(pipeFDs[0])
            close(pipeFDs[1])
            throw .systemCall("history_init", errno: errno)
        }
        let session = EditorSession(
            configuration: configuration, mailbox: mailbox, inputs: inputs, editLine: editLine,
            history: history, wakeRead: pipeFDs[0], wakeWrite: pipeFDs[1], terminal: terminal)
        session.configureLibedit()
        session.loadHistory()
        session.signals = SignalRelay.install(wakeFD: session.wakeWrite, terminal: terminal)
        mailbox.open(wakeFD: session.wakeWrite)
        // Take the prompt from commands posted before start, so the first one drawn is already right.
        var pending: [EditorCommand] = []
        for command in mailbox.takeAll() {
            if case .setPrompt(let text) = command { session.replacePrompt(text) } else { pending.append(command) }
        }
        // Raw mode, and the prompt is drawn.
        p2p_el_set_flag(editLine, EL_UNBUFFERED, 1)
        session.handle(pending)
        return session
    }

    private func configureLibedit() {
        p2p_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        // libedit's own handlers would switch to cooked mode and re-send the signal to the process group.
        p2p_el_set_flag(editLine, EL_SIGNAL, 0)
        p2p_el_set_editor(editLine, "emacs")
        p2p_el_set_prompt(editLine, Self.promptCallback, CChar(TerminalText.literalMarker.value))
        p2p_el_set_history(editLine, history)
        p2p_el_add_function(editLine, "p2p-complete", "Complete the word before the cursor", Self.completeCallback)
        let bindings = [
            ("^I", "p2p-complete"),
            ("^R", "em-inc-search-prev"),
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
            p2p_el_bind(editLine, keys, function)
        }
        // The user's ~/.editrc (lines may start with "p2pchat:") comes last, so it wins.
        el_source(editLine, nil)
        p2p_history_set_size(history, Int32(clamping: max(configuration.historyLimit, 0)))
        p2p_history_set_unique(history, 1)
    }

    // MARK: libedit callbacks

    /// The session behind an `EditLine` (libedit's callbacks carry only that).
    private static func session(of editLine: OpaquePointer?) -> EditorSession? {
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

    private static let completeCallback: p2p_command_fn = { editLine, _ in
        guard let session = session(of: editLine) else { return UInt8(CC_ERROR) }
        return session.complete()
    }

    // MARK: The loop

    /// Runs until `stop`, then puts the terminal back.
    func run() {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
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
        }
        shutDown()
    }

    /// Signals first (a Ctrl-C before the commands that followed it), then commands.
    private func wakeUp() {
        var buffer = [UInt8](repeating: 0, count: 256)
        var signalsSeen: [Int32] = []
        while true {
            let count = read(wakeRead, &buffer, buffer.count)
            if count <= 0 { break }
            for byte in buffer[0..<count] where byte != 0 { signalsSeen.append(Int32(byte)) }
        }
        var resized = false
        for signal in signalsSeen {
            switch signal {
            case SIGWINCH: resized = true
            case SIGINT: interrupted()
            case SIGTSTP: suspend()
            case SIGCONT: continued()
            default: break
            }
        }
        if resized { terminalResized() }
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
            case .addHistory(let line): addHistory(line)
            case .useHistoryFile(let url): useHistoryFile(url)
            case .readSecret(let prompt, let reply): beginSecret(prompt: prompt, reply: reply)
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
        }
    }

    /// Lets libedit handle the next key (or escape sequence, or multibyte character).
    private func editKey() {
        var count: Int32 = 0
        errno = 0
        guard let buffer = el_wgets(editLine, &count) else {
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
            let text = String(String.UnicodeScalarView(Self.scalars(buffer, count: length - 1)))
            if !configuration.echoesEnteredLines {
                // libedit already moved below the line: go back up over prompt and line, and wipe them.
                let rows = endRow(of: Self.scalars(buffer, count: length - 1)) + 1
                emit("\u{1B}[\(rows)A\r\u{1B}[J")
            }
            resetLine()
            inputs.yield(.line(text))
        }
    }

    private func inputEnded() {
        readsInput = false
        if case .secret(_, _, let reply) = mode { endSecret(nil, reply: reply) }
        inputs.yield(.endOfInput)
    }

    // MARK: Signals

    private func interrupted() {
        switch mode {
        case .secret(_, _, let reply):
            endSecret(nil, reply: reply)
        case .editing:
            if currentLine().scalars.isEmpty {
                inputs.yield(.interrupt)
            } else {
                clearEditedArea()
                resetLine()
            }
        }
    }

    private func terminalResized() {
        el_resize(editLine)
        guard case .editing = mode else { return }
        // The terminal has re-wrapped what was on screen; the layout at the new width is the best guess.
        clearEditedArea()
        p2p_el_refresh(editLine)
    }

    /// Ctrl-Z: the handler kept the process running, so stop it here after giving the terminal back.
    private func suspend() {
        guard case .editing = mode else { return }  // not while a password is being typed
        let line = currentLine()
        let below = endRow(of: line.scalars) - endRow(of: line.scalars.prefix(line.cursor))
        emit((below > 0 ? "\u{1B}[\(below)B" : "") + "\r\n")
        p2p_el_set_flag(editLine, EL_PREP_TERM, 0)
        suspended = true
        kill(getpid(), SIGSTOP)
        // Continues here after `fg`; SIGCONT then redraws.
    }

    private func continued() {
        guard case .editing = mode else { return }
        // Whoever ran in between may have changed the terminal: cooked, then raw again re-reads its settings.
        p2p_el_set_flag(editLine, EL_PREP_TERM, 0)
        p2p_el_set_flag(editLine, EL_PREP_TERM, 1)
        if suspended {
            emit("\r\u{1B}[J")
            suspended = false
        } else {
            clearEditedArea()  // stopped by someone else's SIGSTOP, or a stray SIGCONT
        }
        p2p_el_refresh(editLine)
    }

    // MARK: Commands

    private func printAbove(_ texts: [String]) {
        let body = texts.map(Self.terminalLines).joined()
        switch mode {
        case .editing:
            clearEditedArea(includingStatus: true)
            emit(body + statusText())
            p2p_el_refresh(editLine)
        case .secret(let prompt, _, _):
            emit("\r\u{1B}[K" + body + prompt)
        }
    }

    /// Text with every line ending in CR LF, which is right whatever the terminal's output flags are.
    private static func terminalLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { line in line.hasSuffix("\r") ? line + "\n" : line + "\r\n" }.joined()
    }

    private func setStatus(_ lines: [String]) {
        guard lines != status else { return }
        guard case .editing = mode else {
            status = lines
            return
        }
        clearEditedArea(includingStatus: true)
        status = lines
        emit(statusText())
        p2p_el_refresh(editLine)
    }

    /// The status lines, each cut to one row, and remembered as drawn.
    private func statusText() -> String {
        let columns = max(Int(p2p_el_columns(editLine)) - 1, 1)
        statusRows = status.count
        return status.map { line in
            var width = 0
            let kept = line.unicodeScalars.prefix { scalar in
                width += TerminalText.columns(of: scalar)
                return width <= columns
            }
            return String(String.UnicodeScalarView(kept)) + "\r\n"
        }.joined()
    }

    private func setPrompt(_ text: String) {
        guard PromptText(text) != prompt else { return }
        guard case .editing = mode else {
            replacePrompt(text)
            return
        }
        clearEditedArea()  // measured with the old prompt
        replacePrompt(text)
        p2p_el_refresh(editLine)
    }

    private func replacePrompt(_ text: String) {
        prompt = PromptText(text)
        if let copy = strdup(prompt.marked) {
            free(promptCString)
            promptCString = copy
        }
    }

    private func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        p2p_history_enter(history, line)
        saveHistory()
    }

    // MARK: Secret input

    private func beginSecret(prompt: String, reply: CheckedContinuation<String?, Never>) {
        guard case .editing = mode, readsInput else {
            reply.resume(returning: nil)  // one secret at a time, and none without a terminal
            return
        }
        clearEditedArea()
        // Cooked mode (libedit restores the terminal it found), then echo off: the kernel edits the line.
        p2p_el_set_flag(editLine, EL_UNBUFFERED, 0)
        var quiet = termios()
        if tcgetattr(STDIN_FILENO, &quiet) == 0 {
            quiet.c_lflag &= ~tcflag_t(ECHO | ECHOE | ECHOK | ECHONL)
            quiet.c_lflag |= tcflag_t(ICANON | ISIG)
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        emit(prompt)
        mode = .secret(prompt: prompt, typed: [], reply: reply)
    }

    private func readSecretBytes() {
        guard case .secret(let prompt, var typed, let reply) = mode else { return }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count == 0 {
            endSecret(nil, reply: reply)  // Ctrl-D
            return
        }
        guard count > 0 else { return }
        typed.append(contentsOf: buffer[0..<count])
        Self.wipe(&buffer)
        if let newline = typed.firstIndex(where: { $0 == 10 || $0 == 13 }) {
            let secret = String(decoding: typed[..<newline], as: UTF8.self)
            Self.wipe(&typed)
            endSecret(secret, reply: reply)
        } else {
            mode = .secret(prompt: prompt, typed: typed, reply: reply)
        }
    }

    private func endSecret(_ secret: String?, reply: CheckedContinuation<String?, Never>) {
        if case .secret(_, var typed, _) = mode { Self.wipe(&typed) }
        mode = .editing
        var terminal = originalTerminal
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &terminal)
        emit("\r\n")  // the Return (or Ctrl-C) was not echoed
        if readsInput { p2p_el_set_flag(editLine, EL_UNBUFFERED, 1) }  // raw mode and a fresh prompt
        reply.resume(returning: secret)
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        for index in bytes.indices { bytes[index] = 0 }
    }

    // MARK: Completion

    /// Tab: completes the word before the cursor as far as the candidates agree; when they agree no further,
    /// lists them above the prompt.
    private func complete() -> UInt8 {
        let line = currentLine()
        let context = CompletionContext(line: String(String.UnicodeScalarView(line.scalars)), cursorOffset: line.cursor)
        let word = Array(context.word.unicodeScalars)
        var seen = Set<String>()
        let candidates = configuration.completer(context)
            .filter { !$0.isEmpty && $0.unicodeScalars.starts(with: word) && seen.insert($0).inserted }
            .sorted()
        guard let first = candidates.first else { return UInt8(CC_ERROR) }  // beeps
        var common = Array(first.unicodeScalars)
        for candidate in candidates.dropFirst() {
            let scalars = Array(candidate.unicodeScalars)
            let shared = zip(common, scalars).prefix(while: { $0 == $1 }).count
            common.removeSubrange(shared...)
        }
        var insertion = Array(common.dropFirst(word.count))
        if candidates.count == 1, first.last != "/" {
            insertion.append(" ")  // done with this word; a directory goes on
        }
        if !insertion.isEmpty {
            let wide = insertion.map { wchar_t(bitPattern: $0.value) } + [0]
            el_winsertstr(editLine, wide)
            return UInt8(CC_REFRESH)
        }
        printAbove([Self.listing(candidates, columns: Int(p2p_el_columns(editLine)))])
        return UInt8(CC_NORM)
    }

    /// Candidates in columns, like `ls`.
    private static func listing(_ candidates: [String], columns: Int) -> String {
        let shown = candidates.prefix(listingLimit)
        let cell = (shown.map(TerminalText.width).max() ?? 0) + 2
        let perRow = max(1, max(columns, 1) / max(cell, 1))
        let rows = (shown.count + perRow - 1) / perRow
        var lines: [String] = []
        for row in 0..<rows {
            var text = ""
            for column in 0..<perRow {
                let index = column * rows + row
                guard index < shown.count else { break }
                let item = shown[shown.startIndex + index]
                text += item
                if (column + 1) * rows + row < shown.count {
                    text += String(repeating: " ", count: cell - TerminalText.width(of: item))
                }
            }
            lines.append(text)
        }
        if candidates.count > shown.count { lines.append("… and \(candidates.count - shown.count) more") }
        return lines.joined(separator: "\n")
    }

    // MARK: Screen

    /// The line being edited, and the cursor as an offset in it.
    private func currentLine() -> (scalars: [Unicode.Scalar], cursor: Int) {
        guard let info = el_wline(editLine)?.pointee, let start = info.buffer, let end = info.lastchar,
            let cursor = info.cursor
        else { return ([], 0) }
        let count = max(end - start, 0)
        return (Self.scalars(start, count: count), min(max(cursor - start, 0), count))
    }

    private static func scalars(_ buffer: UnsafePointer<wchar_t>, count: Int) -> [Unicode.Scalar] {
        (0..<count).map { Unicode.Scalar(UInt32(bitPattern: buffer[$0])) ?? "\u{FFFD}" }
    }

    /// The row, counted from the prompt's first, on which the prompt followed by `text` ends.
    private func endRow(of text: some Sequence<Unicode.Scalar>) -> Int {
        TerminalText.endRow(of: prompt.visible + Array(text), columns: Int(p2p_el_columns(editLine)))
    }

    /// Moves to the start of the prompt and erases from there down: the rows above the cursor's row are
    /// `(prompt width + width before the cursor) / columns`, as libedit wraps.
    /// With `includingStatus`, the status lines above the prompt go too (to be drawn again).
    private func clearEditedArea(includingStatus: Bool = false) {
        let line = currentLine()
        var row = endRow(of: line.scalars.prefix(line.cursor))
        if includingStatus {
            row += statusRows
            statusRows = 0
        }
        emit("\r" + (row > 0 ? "\u{1B}[\(row)A" : "") + "\u{1B}[J")
    }

    /// Empties the line and draws a fresh prompt: leaving unbuffered mode resets libedit's line, entering it
    /// again switches to raw mode and draws the prompt where the cursor is.
    private func resetLine() {
        p2p_el_set_flag(editLine, EL_UNBUFFERED, 0)
        p2p_el_set_flag(editLine, EL_UNBUFFERED, 1)
    }

    /// Writes through the same `FILE` as libedit, so the two never interleave out of order.
    private func emit(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout)
        }
        fflush(stdout)
    }

    // MARK: History file

    private func useHistoryFile(_ url: URL?) {
        guard url != historyFile else { return }
        p2p_history_clear(history)
        historyFile = url
        loadHistory()
    }

    private func loadHistory() {
        guard let url = historyFile else { return }
        // A missing file is a first run; an unreadable one starts an empty history.
        _ = url.withUnsafeFileSystemRepresentation { path in path.map { p2p_history_load(history, $0) } }
    }

    /// Writes the whole history to a new file created 0600 and renames it over the old one, so a crash never
    /// leaves half a file and other users never see the commands. Failures are silent: history is a
    /// convenience, and the shell's output is no place for them.
    private func saveHistory() {
        guard let url = historyFile else { return }
        url.withUnsafeFileSystemRepresentation { path in
            guard let path else { return }
            let target = String(cString: path)
            let temporary = target + ".tmp-\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            close(fd)
            if p2p_history_save(history, temporary) >= 0, rename(temporary, target) == 0 { return }
            unlink(temporary)
        }
    }

    // MARK: Shutting down

    private func shutDown() {
        switch mode {
        case .editing where readsInput:
            clearEditedArea()
        case .editing:
            break
        case .secret(_, _, let reply):
            endSecret(nil, reply: reply)
            clearEditedArea()
        }
        // Cooked mode; then the terminal exactly as it was found.
        p2p_el_set_flag(editLine, EL_UNBUFFERED, 0)
        SignalRelay.uninstall(signals)
        var terminal = originalTerminal
        _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &terminal)
        // Commands that came too late: secrets get no answer, text is printed plainly rather than lost.
        for command in mailbox.close() {
            switch command {
            case .readSecret(_, let reply): reply.resume(returning: nil)
            case .printAbove(let text): emit(Self.terminalLines(text))
            case .setPrompt, .setStatus, .addHistory, .useHistoryFile, .stop: break
            }
        }
        close(wakeRead)
        close(wakeWrite)
        inputs.finish()
    }
}
