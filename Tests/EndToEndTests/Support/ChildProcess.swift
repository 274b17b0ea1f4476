import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program started by a test: standard input the test writes lines to, standard output and error
/// collected line by line.
///
/// Standard input is one end of a socket pair rather than a pipe, so that writing to a program that
/// has already exited fails with an error (`MSG_NOSIGNAL`) instead of killing the test process with
/// SIGPIPE; the program sees an ordinary stream that is not a terminal.
final class ChildProcess: Sendable {
    /// Who it is in failure messages: `alice`, `locator`.
    let name: String
    let output = LineBuffer()
    let errors = LineBuffer()
    private let process: SpawnedProcess
    private let input: Int32
    private let inputOpen = Mutex(true)

    private init(name: String, process: SpawnedProcess, input: Int32) {
        self.name = name
        self.process = process
        self.input = input
    }

    /// Starts `executable`. With `discardingOutput`, standard output and error go to /dev/null: for
    /// a program that leaves a daemon behind (the first tmux command starts the tmux server, which
    /// would otherwise keep the pipes open, so their end would never be seen).
    static func start(
        name: String, executable: URL, arguments: [String], environment: [String: String], discardingOutput: Bool = false
    ) async throws -> ChildProcess {
        var sockets: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &sockets) == 0 else {
            throw EndToEndError("socketpair failed for \(name): errno \(errno)")
        }
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(sockets[0], SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        let stdout = Pipe()
        let stderr = Pipe()
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess.start(
                executable.path, arguments, environment: environment, standardInput: sockets[1],
                standardOutput: discardingOutput ? nil : stdout.fileHandleForWriting.fileDescriptor,
                standardError: discardingOutput ? nil : stderr.fileHandleForWriting.fileDescriptor)
        } catch {
            close(sockets[0])
            close(sockets[1])
            throw EndToEndError("could not start \(name) (\(executable.path)): \(error)")
        }
        // Only the child keeps the write ends, so the readers see end of file when it exits.
        close(sockets[1])
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        let child = ChildProcess(name: name, process: process, input: sockets[0])
        if discardingOutput {
            child.output.markFinished()
            child.errors.markFinished()
        } else {
            child.output.startReading(stdout.fileHandleForReading, name: "e2e \(name) stdout")
            child.errors.startReading(stderr.fileHandleForReading, name: "e2e \(name) stderr")
        }
        return child
    }

    deinit {
        closeInput()
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Writes `line` and a newline to the program's standard input.
    func send(_ line: String) throws {
        try sendRaw(line + "\n")
    }

    /// Writes `text` as it is, without a newline (a course client's request).
    func sendRaw(_ text: String) throws {
        let bytes = Array(text.utf8)
        try inputOpen.withLock { open in
            guard open else { throw EndToEndError("\(name): standard input is already closed; cannot send \(text)") }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { buffer in
                    sendWithoutSignal(input, buffer.baseAddress, buffer.count)
                }
                guard written > 0 else {
                    throw EndToEndError("\(name): could not write '\(text)' (errno \(errno)): has it exited?\n\(report())")
                }
                offset += written
            }
        }
    }

    func closeInput() {
        inputOpen.withLock { open in
            guard open else { return }
            open = false
            close(input)
        }
    }

    /// Sends `signal` if the program still runs.
    func signal(_ signal: Int32) {
        process.signal(signal)
    }

    /// Waits for the program to exit and for its output to be read to the end; its exit status
    /// (or 128 + the signal that ended it).
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let ended = await poll(timeout: timeout) { process.isRunning || !output.isFinished || !errors.isFinished ? nil : true }
        guard ended != nil else {
            throw EndToEndError("\(name) did not exit within \(timeout)\n\(report())")
        }
        return process.exitStatus ?? -1
    }

    /// Kills the program (SIGKILL) if it still runs, and waits a little for it to be gone.
    func kill() async {
        closeInput()
        signal(SIGKILL)
        _ = await poll(timeout: .seconds(5)) { process.isRunning ? nil : true }
    }

    /// What the program printed, for failure messages.
    func report() -> String {
        "--- \(name) stdout (last lines):\n\(output.tail())\n--- \(name) stderr (last lines):\n\(errors.tail(20))"
    }
}

/// `send` that reports a closed peer as an error instead of raising SIGPIPE.
private func sendWithoutSignal(_ socket: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.send(socket, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    Darwin.send(socket, bytes, count, 0)
    #endif
}
