import CommandLineSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A course-protocol client that sends queries and never reads a reply (`SO_RCVBUF` 4096), as in
/// the attack the locator must withstand. Sends are non-blocking: when the locator stops reading,
/// the flood waits instead of piling up bytes here.
final class CourseFlooder: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32

    init(target: HostPort, from source: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var receiveBuffer: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        try Self.call("bind \(source)", descriptor, Self.address(source, port: 0), Glibc.bind)
        try Self.call("connect", descriptor, Self.address(target.host, port: target.port), Glibc.connect)
    }

    deinit {
        _ = Glibc.close(descriptor)
    }

    /// Sends `chunk` again and again until `deadline`; the number of bytes the locator took in.
    func flood(_ chunk: [UInt8], until deadline: ContinuousClock.Instant) -> Int {
        var sent = 0
        while ContinuousClock.now < deadline {
            let count = chunk.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if count > 0 {
                sent += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                usleep(10_000)
            } else {
                break
            }
        }
        return sent
    }

    private static func address(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure(description: "not an IPv4 address: \(host)") }
        return address
    }

    private static func call(
        _ name: String, _ descriptor: Int32, _ address: sockaddr_in,
        _ function: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws {
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { function(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw Failure(description: "\(name): \(String(cString: strerror(errno)))") }
    }
}
