@preconcurrency import CEditLine
@preconcurrency import Glibc

/// libedit's `EditLine` on standard input and output: owns the C handle and ends it when released. Used on the
/// editor thread only (libedit is single-threaded).
final class LibeditHandle {
    let editLine: OpaquePointer
    /// libedit reads and writes the history through the handle: it must outlive it.
    let history: EditorHistory

    init(history: EditorHistory) throws(LineEditor.Error) {
        guard let editLine = el_init("p2pchat", stdin, stdout, stderr) else { throw .systemCall("el_init", errno: errno) }
        self.editLine = editLine
        self.history = history
        p2p_el_set_history(editLine, history.handle)
    }

    deinit {
        p2p_el_set_clientdata(editLine, nil)
        el_end(editLine)
    }

    /// EL_UNBUFFERED (raw mode, one key per `el_wgets`), EL_PREP_TERM, EL_SIGNAL.
    func set(_ flag: Int32, _ on: Bool) {
        p2p_el_set_flag(editLine, flag, on ? 1 : 0)
    }

    /// Forgets what is on the screen and draws prompt and line at the cursor.
    func redraw() {
        p2p_el_refresh(editLine)
    }

    /// The width libedit lays the line out with.
    var columns: Int { Int(p2p_el_columns(editLine)) }

    /// The line being edited, and the cursor as an offset in it.
    var line: (scalars: [Unicode.Scalar], cursor: Int) {
        guard let info = el_wline(editLine)?.pointee, let start = info.buffer, let end = info.lastchar,
            let cursor = info.cursor
        else { return ([], 0) }
        let count = max(end - start, 0)
        return (Self.scalars(start, count: count), min(max(cursor - start, 0), count))
    }

    /// How long the line is and how it starts (at most `prefix` characters), without copying the rest:
    /// what is read after every key must not grow with the line.
    func lineStart(_ prefix: Int) -> (count: Int, start: [Unicode.Scalar]) {
        guard let info = el_wline(editLine)?.pointee, let start = info.buffer, let end = info.lastchar else { return (0, []) }
        let count = max(end - start, 0)
        return (count, Self.scalars(start, count: min(count, prefix)))
    }

    /// Whether any character of the line satisfies `predicate`, read in place.
    func lineContains(where predicate: (UInt32) -> Bool) -> Bool {
        guard let info = el_wline(editLine)?.pointee, let start = info.buffer, let end = info.lastchar else { return false }
        var next = start
        while next < end {
            if predicate(UInt32(bitPattern: next.pointee)) { return true }
            next += 1
        }
        return false
    }

    /// Inserts text at the cursor.
    func insert(_ text: String) {
        let wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
        el_winsertstr(editLine, wide)
    }

    /// Replaces the whole line; the cursor ends after it.
    func replaceLine(with text: String) {
        let count = Int32(clamping: line.scalars.count)
        _ = el_cursor(editLine, count)
        el_deletestr(editLine, count)
        insert(text)
    }

    /// Moves the cursor to `offset` in the line (clamped to it).
    func moveCursor(to offset: Int) {
        let current = line
        let target = min(max(offset, 0), current.scalars.count)
        _ = el_cursor(editLine, Int32(clamping: target - current.cursor))
    }

    func bind(_ keys: String, to function: String) {
        p2p_el_bind(editLine, keys, function)
    }

    func addFunction(_ name: String, help: String, _ function: p2p_command_fn) {
        p2p_el_add_function(editLine, name, help, function)
    }

    static func scalars(_ buffer: UnsafePointer<wchar_t>, count: Int) -> [Unicode.Scalar] {
        (0..<count).map { Unicode.Scalar(UInt32(bitPattern: buffer[$0])) ?? "\u{FFFD}" }
    }
}
