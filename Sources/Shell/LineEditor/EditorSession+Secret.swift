@preconcurrency import CEditLine
@preconcurrency import Glibc

/// Reading a password: libedit steps aside, the kernel edits the line in cooked mode without echo, and the
/// bytes typed are wiped as soon as they are no longer needed.
extension EditorSession {
    func beginSecret(prompt: String, reply: CheckedContinuation<String?, Never>) {
        guard case .editing = mode, readsInput else {
            reply.resume(returning: nil)  // one secret at a time, and none without a terminal
            return
        }
        clearEditedArea()
        emit(Self.bracketedPasteOff)  // a pasted password arrives as typed
        // Cooked mode (libedit restores the terminal it found), then echo off: the kernel edits the line.
        libedit.set(EL_UNBUFFERED, false)
        var quiet = termios()
        if tcgetattr(STDIN_FILENO, &quiet) == 0 {
            quiet.c_lflag &= ~tcflag_t(ECHO | ECHOE | ECHOK | ECHONL)
            quiet.c_lflag |= tcflag_t(ICANON | ISIG)
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        emit(prompt)
        mode = .secret(prompt: prompt, typed: [], reply: reply)
    }

    func readSecretBytes() {
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

    func endSecret(_ secret: String?, reply: CheckedContinuation<String?, Never>) {
        if case .secret(_, var typed, _) = mode { Self.wipe(&typed) }
        mode = .editing
        var terminal = originalTerminal
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &terminal)
        emit("\r\n" + Self.bracketedPasteOn)  // the Return (or Ctrl-C) was not echoed
        if readsInput { libedit.set(EL_UNBUFFERED, true) }  // raw mode and a fresh prompt
        reply.resume(returning: secret)
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        for index in bytes.indices { bytes[index] = 0 }
    }
}
