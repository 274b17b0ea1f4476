@preconcurrency import CEditLine
import Foundation
@preconcurrency import Glibc

/// libedit's `History` and the file it is kept in. Owns the C handle and frees it when released; used on the
/// editor thread only.
final class EditorHistory {
    let handle: OpaquePointer
    /// Where history is kept now; the shell switches it to the user's own file at login.
    private(set) var file: URL?

    init(file: URL?, limit: Int) throws(LineEditor.Error) {
        guard let handle = history_init() else { throw .systemCall("history_init", errno: errno) }
        self.handle = handle
        self.file = file
        p2p_history_set_size(handle, Int32(clamping: max(limit, 0)))
        p2p_history_set_unique(handle, 1)
        load()
    }

    deinit {
        history_end(handle)
    }

    /// Adds a line (blank ones are not kept) and saves the file.
    func add(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        p2p_history_enter(handle, line)
        save()
    }

    /// Every line, newest first.
    var entries: [String] {
        var entries: [String] = []
        var entry = p2p_history_first(handle)
        while let line = entry {
            entries.append(String(cString: line))
            entry = p2p_history_next(handle)
        }
        return entries
    }

    /// Drops the lines in memory and loads `url`'s instead.
    func use(_ url: URL?) {
        guard url != file else { return }
        p2p_history_clear(handle)
        file = url
        load()
    }

    private func load() {
        guard let url = file else { return }
        // A missing file is a first run; an unreadable one starts an empty history.
        _ = url.withUnsafeFileSystemRepresentation { path in path.map { p2p_history_load(handle, $0) } }
    }

    /// Writes the whole history to a new file created 0600 and renames it over the old one, so a crash never
    /// leaves half a file and other users never see the commands. Failures are silent: history is a
    /// convenience, and the shell's output is no place for them.
    private func save() {
        guard let url = file else { return }
        url.withUnsafeFileSystemRepresentation { path in
            guard let path else { return }
            let target = String(cString: path)
            let temporary = target + ".tmp-\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            close(fd)
            if p2p_history_save(handle, temporary) >= 0, rename(temporary, target) == 0 { return }
            unlink(temporary)
        }
    }
}
