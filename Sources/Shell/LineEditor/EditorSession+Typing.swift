extension EditorSession {
    /// Tells the program when the line being typed changed, once per change: what it needs to say
    /// "typing" to the friend in front (a keystroke hook, run by the loop after each key and command).
    func reportEdit() {
        guard case .editing = mode, readsInput else { return }
        let line = libedit.line.scalars
        guard line != reportedLine else { return }
        reportedLine = line
        inputs.yield(.edited(String(String.UnicodeScalarView(line))))
    }
}
