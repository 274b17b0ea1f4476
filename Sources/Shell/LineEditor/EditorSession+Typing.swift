extension EditorSession {
    /// Tells the program when the line being typed changed (its length or its start), once per change:
    /// what it needs to say "typing" to the friend in front (a keystroke hook, run by the loop after
    /// each key and command). Only the start is read, so a long line costs no more per key than a short one.
    func reportEdit() {
        guard case .editing = mode, readsInput else { return }
        let line = libedit.lineStart(Self.reportedPrefix)
        guard line.count != reportedLine.count || line.start != reportedLine.start else { return }
        reportedLine = line
        inputs.yield(.edited(String(String.UnicodeScalarView(line.start))))
    }

    /// Enough of the line to tell a message from a command (`/me ` is a message).
    static let reportedPrefix = 8
}
