import Glibc

extension LineEditor {
    /// Why the editor could not start.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// Standard input or output is not a terminal; read plain lines instead.
        case notATerminal
        /// Another `LineEditor` is running: libedit owns the terminal, so there can be only one at a time.
        case alreadyRunning
        /// `start()` was called twice, or after `stop()`.
        case alreadyStarted
        /// A system call failed.
        case systemCall(String, errno: Int32)

        public var description: String {
            switch self {
            case .notATerminal:
                return "the line editor needs a terminal on standard input and output"
            case .alreadyRunning:
                return "another line editor is already running in this process"
            case .alreadyStarted:
                return "this line editor was already started; create a new one"
            case .systemCall(let call, let code):
                return "\(call) failed: \(String(cString: strerror(code)))"
            }
        }
    }
}
