@preconcurrency import CEditLine
import Foundation
@preconcurrency import Glibc

/// The editor's own key functions (libedit `EL_ADDFN`): completion, conversation keys, Ctrl-L and bracketed
/// paste. Each returns a libedit `CC_*` code.
extension EditorSession {
    func addKeyFunctions() {
        libedit.addFunction("p2p-complete", help: "Complete the word before the cursor", Self.completeCallback)
        libedit.addFunction("p2p-conversation", help: "Talk to the n-th conversation", Self.numberCallback)
        libedit.addFunction("p2p-oldest-unread", help: "Talk to the oldest unread conversation", Self.oldestCallback)
        libedit.addFunction("p2p-next", help: "Talk to the next conversation", Self.nextCallback)
        libedit.addFunction("p2p-previous", help: "Talk to the previous conversation", Self.previousCallback)
        libedit.addFunction("p2p-clear", help: "Clear the screen", Self.clearCallback)
        libedit.addFunction("p2p-paste", help: "Take a bracketed paste", Self.pasteCallback)
        libedit.addFunction("p2p-search", help: "Search history backwards", Self.searchCallback)
        for digit in 1...9 { libedit.bind("\\e\(digit)", to: "p2p-conversation") }
        libedit.bind("\\ea", to: "p2p-oldest-unread")
        libedit.bind("\\eA", to: "p2p-oldest-unread")
        libedit.bind("^N", to: "p2p-next")
        libedit.bind("^P", to: "p2p-previous")
        libedit.bind("\\e[200~", to: "p2p-paste")
    }

    private static let numberCallback: p2p_command_fn = { editLine, key in
        // `key` is the last character of the sequence: the digit of Alt-digit.
        guard let session = session(of: editLine), let digit = Int(exactly: key - 48), (1...9).contains(digit) else {
            return UInt8(CC_ERROR)
        }
        session.inputs.yield(.conversationKey(.number(digit)))
        return UInt8(CC_NORM)
    }

    private static let oldestCallback: p2p_command_fn = { editLine, _ in
        session(of: editLine)?.inputs.yield(.conversationKey(.oldestUnread))
        return UInt8(CC_NORM)
    }

    private static let nextCallback: p2p_command_fn = { editLine, _ in
        session(of: editLine)?.inputs.yield(.conversationKey(.next))
        return UInt8(CC_NORM)
    }

    private static let previousCallback: p2p_command_fn = { editLine, _ in
        session(of: editLine)?.inputs.yield(.conversationKey(.previous))
        return UInt8(CC_NORM)
    }

    private static let clearCallback: p2p_command_fn = { editLine, _ in
        session(of: editLine)?.clearScreen()
        return UInt8(CC_NORM)
    }

    private static let pasteCallback: p2p_command_fn = { editLine, _ in
        guard let session = session(of: editLine) else { return UInt8(CC_ERROR) }
        return session.takePaste()
    }

    // MARK: Bracketed paste

    /// The terminal sent `ESC [200~`: reads up to `ESC [201~`. One line goes into the line being typed (Return
    /// runs it, as if typed); several go to the program, which asks before running any.
    private func takePaste() -> UInt8 {
        let end: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while !bytes.reversed().starts(with: end.reversed()) {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { break }
            bytes.append(byte)
        }
        if bytes.reversed().starts(with: end.reversed()) { bytes.removeLast(end.count) }
        let lines = Self.pastedLines(String(decoding: bytes, as: UTF8.self))
        if lines.count > 1 {
            inputs.yield(.paste(lines))
            return UInt8(CC_NORM)
        }
        libedit.insert(lines.first ?? "")
        return UInt8(CC_REFRESH)
    }

    /// The lines of a paste: any line ending counts, and one final line ending is not an empty last line.
    static func pastedLines(_ text: String) -> [String] {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    // MARK: A question answered with one key

    func beginChoice(_ prompt: String, _ choices: Set<Character>, _ reply: CheckedContinuation<Character?, Never>) {
        guard case .editing = mode, readsInput else {
            reply.resume(returning: nil)
            return
        }
        clearEditedArea()
        emit(prompt)
        mode = .choice(prompt: prompt, choices: choices, reply: reply)
    }

    func readChoiceKey() {
        guard case .choice(_, let choices, let reply) = mode else { return }
        // Several bytes at once are more pasted text (or a key's escape sequence), never the answer.
        var available: Int32 = 0
        if ioctl(STDIN_FILENO, UInt(FIONREAD), &available) == 0, available > 1 {
            var discarded = [UInt8](repeating: 0, count: Int(available))
            _ = read(STDIN_FILENO, &discarded, discarded.count)
            emit("\u{7}")
            return
        }
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return }
        if byte == 3 || byte == 4 {  // Ctrl-C, Ctrl-D: no answer
            endChoice(nil, reply: reply)
            return
        }
        let key = Character(Unicode.Scalar(byte)).lowercased().first ?? " "
        if choices.contains(key) { endChoice(key, reply: reply) } else { emit("\u{7}") }
    }

    func endChoice(_ answer: Character?, reply: CheckedContinuation<Character?, Never>) {
        mode = .editing
        emit("\r\u{1B}[K")
        if readsInput { libedit.redraw() }
        reply.resume(returning: answer)
    }
}
