/// Every slash-command, in the order `/help` lists them.
///
/// A new command is a new case here and its entry in ``spec`` (`CommandName+Spec.swift`); the parser,
/// completion, `/help` and the man page pick it up from there. The raw value is the name without its `/`.
public enum CommandName: String, Sendable, Hashable, CaseIterable {
    case login
    case logout
    case query
    case add
    case requests
    case accept
    case reject
    case friends
    case remove
    case msg
    case me
    case chat
    case history
    case search
    case file
    case files
    case get
    case decline
    case cancel
    case group
    case whoami
    case status
    case away
    case call
    case answer
    case hangup
    case set
    case clear
    case help
    case quit
    // Scripted sessions.
    case wait
    case sleep
}
