@preconcurrency import Glibc

/// The editor's signal handling. Handlers may only do async-signal-safe work, so they write the signal number
/// to the editor thread's wake-up pipe and let that thread act; fatal signals restore the terminal first.
enum SignalRelay {
    /// Signals the editor thread handles: Ctrl-C, a terminal resize, Ctrl-Z, and being continued.
    static let relayed: [Int32] = [SIGINT, SIGWINCH, SIGTSTP, SIGCONT]
    /// Signals that end the program by default: the terminal is put back to cooked mode before they do.
    /// Only taken over when the program has no handler of its own.
    static let fatal: [Int32] = [SIGTERM, SIGHUP, SIGQUIT]

    // Signal handlers and atexit get no context pointer, so the little they need lives here. Written only by
    // the editor thread while no handler is installed (before `install`, after `uninstall`);
    // `@exclusivity(unchecked)` because a handler must not enter the runtime's access tracking.
    @exclusivity(unchecked) nonisolated(unsafe) private static var wakeFD: Int32 = -1
    @exclusivity(unchecked) nonisolated(unsafe) private static var terminal = termios()
    @exclusivity(unchecked) nonisolated(unsafe) private static var restoresTerminal = false
    /// Only touched by the editor thread (one at a time: see `LineEditor.Error.alreadyRunning`).
    nonisolated(unsafe) private static var exitHookInstalled = false

    /// Dispositions replaced by `install`, to put back.
    struct Previous {
        fileprivate var actions: [(signal: Int32, action: sigaction)] = []
    }

    private static let relay: @convention(c) (Int32) -> Void = { signal in
        let savedErrno = errno
        var byte = UInt8(truncatingIfNeeded: signal)
        _ = write(SignalRelay.wakeFD, &byte, 1)
        errno = savedErrno
    }

    private static let restoreThenDie: @convention(c) (Int32) -> Void = { signal in
        if SignalRelay.restoresTerminal {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &SignalRelay.terminal)
        }
        // The default action happens when this handler returns and the signal is unblocked.
        _ = Glibc.signal(signal, SIG_DFL)
        _ = raise(signal)
    }

    private static let restoreAtExit: @convention(c) () -> Void = {
        guard SignalRelay.restoresTerminal else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &SignalRelay.terminal)
        // The program ended with the prompt on screen; start its next output on a fresh line.
        _ = "\r\n".withCString { write(STDOUT_FILENO, $0, 2) }
    }

    /// Routes the relayed signals to `wakeFD` and makes fatal ones, and `exit`, restore `terminal`.
    static func install(wakeFD: Int32, terminal: termios) -> Previous {
        self.wakeFD = wakeFD
        self.terminal = terminal
        restoresTerminal = true
        if !exitHookInstalled {
            exitHookInstalled = true
            atexit(restoreAtExit)
        }
        var previous = Previous()
        for signal in relayed {
            if let old = setHandler(relay, for: signal) { previous.actions.append((signal, old)) }
        }
        for signal in fatal {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, isDefault(current) else { continue }
            if let old = setHandler(restoreThenDie, for: signal) { previous.actions.append((signal, old)) }
        }
        return previous
    }

    /// Puts back what `install` replaced; the terminal is the caller's to restore.
    static func uninstall(_ previous: Previous) {
        for (signal, action) in previous.actions.reversed() {
            var action = action
            _ = sigaction(signal, &action, nil)
        }
        restoresTerminal = false
        wakeFD = -1
    }

    private static func setHandler(_ handler: @convention(c) (Int32) -> Void, for signal: Int32) -> sigaction? {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        // SA_RESTART: other threads' blocking calls must not fail with EINTR because the user pressed Ctrl-C.
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        var old = sigaction()
        guard sigaction(signal, &action, &old) == 0 else { return nil }
        return old
    }

    private static func isDefault(_ action: sigaction) -> Bool {
        guard action.sa_flags & SA_SIGINFO == 0 else { return false }
        return action.__sigaction_handler.sa_handler == nil  // SIG_DFL is a null handler
    }
}
