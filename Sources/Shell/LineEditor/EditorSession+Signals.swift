@preconcurrency import CEditLine
@preconcurrency import Glibc

extension EditorSession {
    /// Acts on the signals ``SignalRelay`` wrote to the wake pipe, in order; several resizes redraw once.
    func handle(signals: [Int32]) {
        var resized = false
        for signal in signals {
            switch signal {
            case SIGWINCH: resized = true
            case SIGINT: interrupted()
            case SIGTSTP: suspend()
            case SIGCONT: continued()
            default: break
            }
        }
        if resized { terminalResized() }
    }

    private func interrupted() {
        switch mode {
        case .secret(_, _, let reply):
            endSecret(nil, reply: reply)
        case .choice(_, _, let reply):
            endChoice(nil, reply: reply)
        case .search(_, let savedPrompt, let savedLine):
            endSearch(showing: savedLine, prompt: savedPrompt, submit: false)
        case .editing:
            if libedit.line.scalars.isEmpty {
                inputs.yield(.interrupt)
            } else {
                clearEditedArea()
                resetLine()
            }
        }
    }

    private func terminalResized() {
        el_resize(libedit.editLine)
        configuration.width.update(libedit.columns)
        guard case .editing = mode else { return }
        // The terminal has re-wrapped what was on screen; the layout at the new width is the best guess.
        clearEditedArea()
        libedit.redraw()
    }

    /// Ctrl-Z: the handler kept the process running, so stop it here after giving the terminal back.
    private func suspend() {
        guard case .editing = mode else { return }  // not while a password is being typed
        let line = libedit.line
        let below = endRow(of: line.scalars) - endRow(of: line.scalars.prefix(line.cursor))
        emit((below > 0 ? "\u{1B}[\(below)B" : "") + "\r\n")
        libedit.set(EL_PREP_TERM, false)
        suspended = true
        kill(getpid(), SIGSTOP)
        // Continues here after `fg`; SIGCONT then redraws.
    }

    private func continued() {
        guard case .editing = mode else { return }
        // Whoever ran in between may have changed the terminal: cooked, then raw again re-reads its settings.
        libedit.set(EL_PREP_TERM, false)
        libedit.set(EL_PREP_TERM, true)
        if suspended {
            emit("\r\u{1B}[J")
            suspended = false
        } else {
            clearEditedArea()  // stopped by someone else's SIGSTOP, or a stray SIGCONT
        }
        libedit.redraw()
    }
}
