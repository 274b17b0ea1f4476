@preconcurrency import Glibc

/// The editor thread's wake-up pipe: the mailbox writes a 0 byte to it for a command, signal handlers write
/// the signal's number. Both ends are non-blocking: a signal handler must never block on a full pipe, nor the
/// editor on an empty one. Closed when released.
final class WakePipe {
    let readFD: Int32
    let writeFD: Int32

    init() throws(LineEditor.Error) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .systemCall("pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        (readFD, writeFD) = (fds[0], fds[1])
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Empties the pipe and returns the signals written to it, in order (commands wrote zeros).
    func drain() -> [Int32] {
        var buffer = [UInt8](repeating: 0, count: 256)
        var signals: [Int32] = []
        while true {
            let count = read(readFD, &buffer, buffer.count)
            if count <= 0 { break }
            for byte in buffer[0..<count] where byte != 0 { signals.append(Int32(byte)) }
        }
        return signals
    }
}
