import Foundation
import LoopbackPorts

#if canImport(Glibc)
import Glibc
#endif

/// The C epoll server (`refserver PORT`, built from `/work/shared/tools/refserver.c`) on a free
/// loopback port: the ceiling of a tiny request's rate, measured with the same load generator.
final class ReferenceServer {
    let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    static func start(path: String) throws -> ReferenceServer {
        let port = try FreePort.onLoopback()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [String(port)]
        try process.run()
        // Listening once a connection is accepted.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, process.isRunning {
            if canConnect(port: port) { return ReferenceServer(port: port, process: process) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw BenchPostgres.Failure(description: "\(path) did not listen on port \(port)")
    }

    private static func canConnect(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// `SIGKILL`: the C server keeps no state, and a `SIGTERM` from `Process.terminate` was seen
    /// to leave it running, the benchmark waiting on it.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
