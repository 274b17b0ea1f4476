import Foundation

/// Work other threads hand to the editor thread, which alone may call libedit.
enum EditorCommand: Sendable {
    case printAbove(String)
    case setPrompt(String)
    case setStatus([String])
    case addHistory(String)
    case useHistoryFile(URL?)
    case readSecret(prompt: String, reply: CheckedContinuation<String?, Never>)
    case readChoice(prompt: String, choices: Set<Character>, reply: CheckedContinuation<Character?, Never>)
    case bell
    case notify(TerminalNotification)
    case clearScreen
    case stop
}
