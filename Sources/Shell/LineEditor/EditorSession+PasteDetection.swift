import Foundation
@preconcurrency import Glibc

/// A paste the terminal did not mark (tmux `send-keys`, `screen`, a serial console, some terminals over
/// ssh): lines that arrive together, faster than anyone types. irssi calls the window `paste_detect_time`.
/// When a line ends and more input is already there, or comes within ``pasteDetectTime``, the line and
/// everything that came with it are one paste, which the program asks about before running any of it.
extension EditorSession {
    /// How soon after a line's end more input counts as arriving with it: far below the gap between a
    /// person's Return and their next key (100 ms and more), far above the gap between a paste's bytes.
    static let pasteDetectTime: Int32 = 10
    /// How long input must pause for a paste to be taken as whole.
    static let pasteQuietTime: Int32 = 40

    /// The lines that arrived with the line just ended by `terminator` (CR or LF), read from the terminal;
    /// empty when nothing came with it, that is when the line was typed.
    func linesArrivingWith(lineEndedBy terminator: UInt8) -> [String] {
        guard Self.inputReadable(within: Self.pasteDetectTime) else { return [] }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        repeat {
            let count = read(STDIN_FILENO, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        } while Self.inputReadable(within: Self.pasteQuietTime)
        // A terminal that sends CR LF for Return: the LF belongs to the line just ended.
        if terminator == 13, bytes.first == 10 { bytes.removeFirst() }
        var text = String(decoding: bytes, as: UTF8.self)
        // A marked paste that came right behind: its markers are not text.
        for marker in ["\u{1B}[200~", "\u{1B}[201~"] { text = text.replacingOccurrences(of: marker, with: "") }
        guard !text.isEmpty else { return [] }
        return Self.pastedLines(text)
    }

    /// Whether standard input has something to read now or within `milliseconds`.
    static func inputReadable(within milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            return ready > 0 && descriptor.revents & Int16(POLLIN) != 0
        }
    }
}
