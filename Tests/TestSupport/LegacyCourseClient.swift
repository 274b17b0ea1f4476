import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A course-protocol client written the way the course's own clients were: a blocking POSIX socket,
/// one `send()` per request (no terminator unless the test adds one), one `recv(1024)` per reply.
///
/// Every blocking call runs on a thread of its own, never on the Swift concurrency pool: the locator
/// under test lives in the same process and needs that pool (which has one thread per core).
public final class LegacyCourseClient: Sendable {
    /// A socket call failed.
    public struct SocketError: Error, CustomStringConvertible {
        public var call: String
        public var code: Int32
        public var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    private let descriptor: Mutex<Int32>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        close()
    }

    /// Connects to `host:port`, from the loopback address `source` when given (127.0.0.x: the server
    /// sees another client host). A `recv` that waits longer than `receiveTimeout` fails (so a test never hangs).
    public static func connect(
        port: Int, host: String = "127.0.0.1", from source: String? = nil, receiveTimeout: Duration = .seconds(5)
    ) async throws -> LegacyCourseClient {
        try await onThread { try connectBlocking(port: port, host: host, source: source, receiveTimeout: receiveTimeout) }
    }

    /// Opens a connection, sends `request` in one `send()`, reads one reply and closes: the
    /// one-connection-per-request style. `nil` when the server closed without answering.
    public static func ask(_ request: String, port: Int, from source: String? = nil) async throws -> String? {
        try await onThread {
            let client = try connectBlocking(port: port, host: "127.0.0.1", source: source, receiveTimeout: .seconds(5))
            defer { client.close() }
            try client.sendBlocking(Array(request.utf8))
            return try client.receiveBlocking().map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// One `send()` of `text`'s bytes, exactly as given.
    public func send(_ text: String) async throws {
        try await send(bytes: Array(text.utf8))
    }

    /// One `send()` of `bytes`.
    public func send(bytes: [UInt8]) async throws {
        try await Self.onThread { try self.sendBlocking(bytes) }
    }

    /// One `recv(1024)`, as text; `nil` when the server has closed the connection.
    public func receive() async throws -> String? {
        try await receiveBytes().map { String(decoding: $0, as: UTF8.self) }
    }

    /// One `recv(1024)`; `nil` when the server has closed the connection.
    public func receiveBytes() async throws -> [UInt8]? {
        try await Self.onThread { try self.receiveBlocking() }
    }

    /// Sends `text` in one `send()` and returns what one `recv(1024)` got; `nil` if the server closed instead.
    public func request(_ text: String) async throws -> String? {
        try await Self.onThread {
            try self.sendBlocking(Array(text.utf8))
            return try self.receiveBlocking().map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Reads and discards until the server closes the connection (or the receive timeout passes: an error).
    /// Returns the bytes that came before the close.
    @discardableResult
    public func readUntilClosed() async throws -> [UInt8] {
        try await Self.onThread {
            var all: [UInt8] = []
            while let bytes = try self.receiveBlocking() { all += bytes }
            return all
        }
    }

    /// Shuts the sending side down, as `printf REQUEST | socat - TCP:…` does after its request; replies
    /// can still be received.
    public func finishSending() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_WR)) }
        }
    }

    /// Closes the socket (idempotent).
    public func close() {
        let fd = descriptor.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    // MARK: Blocking calls

    private static func connectBlocking(port: Int, host: String, source: String?, receiveTimeout: Duration) throws -> LegacyCourseClient {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        let client = LegacyCourseClient(descriptor: fd)
        var timeout = timeval(
            tv_sec: Int(receiveTimeout.components.seconds),
            tv_usec: Int(receiveTimeout.components.attoseconds / 1_000_000_000_000))
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw SocketError(call: "setsockopt", code: errno)
        }
        if let source {
            var local = try socketAddress(source, port: 0)
            let bound = withUnsafePointer(to: &local) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw SocketError(call: "bind \(source)", code: errno) }
        }
        var address = try socketAddress(host, port: port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw SocketError(call: "connect", code: errno) }
        return client
    }

    private static func socketAddress(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw SocketError(call: "inet_pton \(host)", code: EINVAL) }
        return address
    }

    private var fd: Int32 { descriptor.withLock { $0 } }

    private func sendBlocking(_ bytes: [UInt8]) throws {
        // One call, as the course clients made it; MSG_NOSIGNAL so a closed peer is an error, not SIGPIPE.
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent >= 0 else { throw SocketError(call: "send", code: errno) }
        guard sent == bytes.count else { throw SocketError(call: "send (partial: \(sent) of \(bytes.count))", code: EAGAIN) }
    }

    /// One `recv(1024)`: the bytes, or nil at end of stream. A reset counts as the server closing.
    private func receiveBlocking() throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            let code = errno
            if code == ECONNRESET { return nil }
            throw SocketError(call: code == EAGAIN || code == EWOULDBLOCK ? "recv (timed out)" : "recv", code: code)
        }
        return count == 0 ? nil : Array(buffer.prefix(count))
    }

    /// Runs `body` on a new thread and waits for it without blocking a concurrency-pool thread.
    public static func onThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try body() }) }
            thread.start()
        }
    }
}
