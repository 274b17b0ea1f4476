import Foundation
import Glibc
import Logging
import Testing
import TestSupport

@testable import Shell

@Suite("ControlSocket: one command line a connection, from its owner, in time")
struct ControlSocketTests {
    @Test("a client that connects and says nothing is closed after the first-line timeout")
    func silentClientIsClosed() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(ControlSocket.fileName).path
            let socket = try await ControlSocket.bind(at: path, firstLineTimeout: .milliseconds(200))
            let serving = Task { await socket.run({ _ in ControlReply(lines: [], status: 0) }, logger: Logger(label: "test")) }
            defer { serving.cancel() }

            let descriptor = try connectUnixSocket(path)
            defer { close(descriptor) }
            // The shell ends the connection by itself: the read sees end of file, with nothing said.
            // (The poll's bound only keeps a broken build from hanging the suite.)
            var event = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            try #require(poll(&event, 1, 30_000) == 1, "the silent connection was still open after 30 s")
            var byte: UInt8 = 0
            #expect(read(descriptor, &byte, 1) == 0)
        }
    }

    @Test("a command that takes longer than the first-line timeout still gets its answer")
    func slowCommandIsAnswered() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(ControlSocket.fileName).path
            let socket = try await ControlSocket.bind(at: path, firstLineTimeout: .milliseconds(100))
            let serving = Task {
                await socket.run({ line in
                    try? await Task.sleep(for: .milliseconds(400))
                    return ControlReply(lines: ["out ran \(line)"], status: 0)
                }, logger: Logger(label: "test"))
            }
            defer { serving.cancel() }

            let reply = try await ControlClient.run("/status", at: path)
            #expect(reply == ControlReply(lines: ["out ran /status"], status: 0))
        }
    }
}

/// A blocking client socket connected to `path`, as a stuck script would hold one.
private func connectUnixSocket(_ path: String) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        buffer.copyBytes(from: path.utf8.prefix(buffer.count - 1))
    }
    let connected = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard descriptor >= 0, connected == 0 else {
        close(descriptor)
        throw POSIXError(.ECONNREFUSED)
    }
    return descriptor
}
