import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program started by a test with `posix_spawn`, instead of Foundation's `Process`.
///
/// `Process.run()` lists `/proc/self/fd` to close every inherited descriptor, copying each entry's
/// whole 256-byte name: with more than about 1,360 descriptors open (engines and locators of tests
/// running in parallel) the last entry of a full buffer is read past its end, and the test process
/// crashes. Here the child closes them itself (`closefrom` in the spawn's file actions).
///
/// The child starts with no signal blocked (the concurrency pool's threads block nearly all of
/// them, and a tmux server started from one would never hear of its panes' ends), in a process
/// group of its own, as `Process` does.
public final class SpawnedProcess: Sendable {
    public let processIdentifier: pid_t
    /// The exit status once it ended: the code, or 128 + the signal that ended it.
    private let ending = Mutex<Int32?>(nil)
    private let ended = DispatchSemaphore(value: 0)

    private init(processIdentifier: pid_t) {
        self.processIdentifier = processIdentifier
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable`. Each of the standard streams is the given descriptor (it stays open
    /// here; close it when the child has it), or `/dev/null`.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws -> SpawnedProcess {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw Failure(description: "cannot open /dev/null: errno \(errno)") }
        defer { close(null) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in [(0, standardInput), (1, standardOutput), (2, standardError)] {
            posix_spawn_file_actions_adddup2(&actions, source ?? null, Int32(target))
        }
        guard closeFrom(&actions, 3) == 0 else { throw Failure(description: "posix_spawn_file_actions_addclosefrom_np failed") }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var nothing = sigset_t()
        sigemptyset(&nothing)
        posix_spawnattr_setsigmask(&attributes, &nothing)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let pairs = (environment ?? ProcessInfo.processInfo.environment).map { "\($0)=\($1)" }
        let envp = pairs.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        let process = SpawnedProcess(processIdentifier: pid)
        process.reapWhenEnded()
        return process
    }

    /// Runs `executable` to its end; its exit status and what it printed on each stream.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws -> (status: Int32, output: String, errors: String) {
        let output = try Self.pipe(), errors = try Self.pipe()
        let process: SpawnedProcess
        do {
            process = try start(executable, arguments, environment: environment, standardOutput: output.write, standardError: errors.write)
        } catch {
            for descriptor in [output.read, output.write, errors.read, errors.write] { close(descriptor) }
            throw error
        }
        close(output.write)
        close(errors.write)
        let (outputData, errorData) = readToEnd(output.read, errors.read)
        let status = process.waitUntilExit()
        return (status, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    public var isRunning: Bool { ending.withLock { $0 == nil } }

    /// The exit status (code, or 128 + signal) once ended; nil while it runs.
    public var exitStatus: Int32? { ending.withLock { $0 } }

    /// Blocks until the program has ended; its exit status.
    @discardableResult
    public func waitUntilExit() -> Int32 {
        ended.wait()
        ended.signal()  // for the next caller
        return exitStatus ?? -1
    }

    /// Sends `signal` while it runs.
    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        _ = kill(processIdentifier, signal)
    }

    /// A thread that waits for the child, so that it never stays a zombie and `exitStatus` is known.
    private func reapWhenEnded() {
        let pid = processIdentifier
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let signal = status & 0x7f
            let code: Int32 = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            ending.withLock { $0 = code }
            ended.signal()
        }
        thread.name = "reaper \(pid)"
        thread.start()
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        // Without O_CLOEXEC: every child closes what it does not use itself (closefrom).
        guard Glibc.pipe(&descriptors) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
        return (descriptors[0], descriptors[1])
    }

    /// Reads both pipes to their ends together: a child that fills one while we wait on the other
    /// would never end.
    private static func readToEnd(_ first: Int32, _ second: Int32) -> (Data, Data) {
        defer {
            close(first)
            close(second)
        }
        var collected = [Data(), Data()]
        var watched = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while watched.contains(where: { $0.fd >= 0 }) {
            guard poll(&watched, nfds_t(watched.count), -1) >= 0 || errno == EINTR else { break }
            for index in watched.indices where watched[index].fd >= 0 && watched[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(watched[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[index].append(contentsOf: buffer[..<count])
                } else if count == 0 || errno != EINTR {
                    watched[index].fd = -1  // poll skips negative descriptors
                }
            }
        }
        return (collected[0], collected[1])
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module
    /// does not declare: looked up once.
    private static let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return { _, _ in -1 }
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
