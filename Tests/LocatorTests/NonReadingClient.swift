import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A course-protocol client that sends requests and never reads a reply, as in the attack: a tiny
/// receive buffer (`SO_RCVBUF` 4096), and sends that give up after a moment when the locator has
/// stopped reading (so the test itself never blocks for good).
final class NonReadingClient: Sendable {
    /// How a flood ended.
    struct Flood: Sendable {
        /// Bytes the kernel accepted from the client.
        var sent: Int
        /// Whether the sends stopped going out (the locator stopped reading) before the limit was sent.
        var stalled: Bool
    }

    struct SocketFailure: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        _ = Glibc.close(descriptor)
    }

    static func connect(port: Int, from source: String) throws -> NonReadingClient {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure(call: "socket", code: errno) }
        let client = NonReadingClient(descriptor: fd)
        var receiveBuffer: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = try address(source, port: 0)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SocketFailure(call: "bind \(source)", code: errno) }
        var remote = try address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketFailure(call: "connect", code: errno) }
        return client
    }

    /// Sends `chunk` again and again until `limit` bytes have gone, the sends have made no progress
    /// for `stallAfter`, or `deadline` passes. Runs on a thread of its own.
    func flood(_ chunk: [UInt8], limit: Int, stallAfter: Duration = .seconds(1), deadline: Duration = .seconds(60)) async throws -> Flood {
        let fd = descriptor
        return try await LegacyCourseClient.onThread {
            let clock = ContinuousClock()
            let end = clock.now + deadline
            var sent = 0
            var lastProgress = clock.now
            while sent < limit, clock.now < end {
                let count = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count > 0 {
                    sent += count
                    lastProgress = clock.now
                    continue
                }
                let code = errno
                guard code == EAGAIN || code == EWOULDBLOCK || code == EINTR else {
                    throw SocketFailure(call: "send", code: code)
                }
                if clock.now - lastProgress >= stallAfter { return Flood(sent: sent, stalled: true) }
            }
            return Flood(sent: sent, stalled: false)
        }
    }

    /// Waits until the locator has closed the connection: a send then fails (the locator resets a
    /// connection it closes with unread requests). Whether that happened within `timeout`.
    func waitUntilClosed(timeout: Duration) async throws -> Bool {
        let fd = descriptor
        return try await LegacyCourseClient.onThread {
            let clock = ContinuousClock()
            let end = clock.now + timeout
            let byte: [UInt8] = [UInt8(ascii: "\n")]
            while clock.now < end {
                let count = byte.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return true }
                usleep(50_000)
            }
            return false
        }
    }

    private static func address(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SocketFailure(call: "inet_pton \(host)", code: EINVAL)
        }
        return address
    }
}
