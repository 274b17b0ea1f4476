import ChatEngine
import CoreFoundation
import Foundation
import LoopbackPorts
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The ceiling for file transfer on this machine: a file sent over plain TCP on loopback with
/// `sendfile`, and written to a file on the other side with large writes, writeback behind them
/// and an `fsync` (the disk work p2pchat's receiver does), no TLS, no hashing.
enum RawFileCopy {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Copies `source` to `destination` through a loopback TCP connection; returns the time taken.
    static func run(source: String, destination: String) throws -> Duration {
        let (listener, port) = try FreePort.boundSocket(listening: true)
        defer { close(listener) }

        let start = ContinuousClock.now
        let received = Thread.detachedResult { try receive(on: listener, into: destination) }
        try send(source, toPort: port)
        try received.value()
        return ContinuousClock.now - start
    }

    private static func send(_ source: String, toPort port: Int) throws {
        let file = open(source, O_RDONLY)
        guard file >= 0 else { throw Failure(description: "cannot read \(source)") }
        defer { close(file) }
        _ = posix_fadvise(file, 0, 0, POSIX_FADV_SEQUENTIAL)
        var info = stat()
        fstat(file, &info)
        let connection = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(connection) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(connection, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }
        var offset = off_t(0)
        while offset < info.st_size {
            let sent = sendfile(connection, file, &offset, Int(info.st_size - offset))
            if sent < 0, errno != EINTR { throw Failure(description: "sendfile: \(String(cString: strerror(errno)))") }
            if sent == 0 { break }
        }
    }

    private static func receive(on listener: Int32, into destination: String) throws {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { throw Failure(description: "accept: \(String(cString: strerror(errno)))") }
        defer { close(connection) }
        let file = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard file >= 0 else { throw Failure(description: "cannot write \(destination)") }
        defer { close(file) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        var writeBehind = WriteBehind(descriptor: file, from: 0)
        var total: Int64 = 0
        while true {
            let got = recv(connection, buffer, size, 0)
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            var written = 0
            while written < got {
                let wrote = write(file, buffer + written, got - written)
                guard wrote > 0 else { throw Failure(description: "write: \(String(cString: strerror(errno)))") }
                written += wrote
            }
            total += Int64(got)
            writeBehind.wrote(upTo: total)
        }
        fsync(file)
    }
}

extension Thread {
    /// Runs `body` on a new thread; `value()` waits for it and returns or rethrows what it did.
    static func detachedResult(_ body: @escaping @Sendable () throws -> Void) -> ThreadResult {
        let result = ThreadResult()
        Thread {
            do {
                try body()
                result.finish(nil)
            } catch {
                result.finish("\(error)")
            }
        }.start()
        return result
    }
}

/// What a thread started with `Thread.detachedResult` ended with.
final class ThreadResult: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<String?>(nil)

    fileprivate func finish(_ failure: String?) {
        self.failure.withLock { $0 = failure }
        done.signal()
    }

    func value() throws {
        done.wait()
        if let failure = failure.withLock({ $0 }) { throw RawFileCopy.Failure(description: failure) }
    }
}
