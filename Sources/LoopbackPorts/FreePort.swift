import Glibc

/// A TCP port nothing listens on now: bound to 127.0.0.1 port 0 and released, for a server that a
/// test or a benchmark starts as a program of its own (PostgreSQL, coturn), which must be told its
/// port. Someone else may take it first; that server then fails to start, and says so.
public enum FreePort {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func onLoopback() throws -> Int {
        let socket = try boundSocket(listening: false)
        close(socket.descriptor)
        return socket.port
    }

    /// A TCP socket bound to 127.0.0.1 on a port the kernel picks, listening if asked (backlog 1):
    /// its descriptor, which the caller closes, and its port.
    public static func boundSocket(listening: Bool) throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket failed: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && (!listening || listen(descriptor, 1) == 0)
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "bind failed: \(reason)")
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
