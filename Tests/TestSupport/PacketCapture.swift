import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tcpdump` writing what crosses an interface to a file, for a test that must show what a
/// middlebox (the TURN relay) could read. Needs root and tcpdump; a test that uses it is
/// `.enabled(if: PacketCapture.isAvailable, PacketCapture.missingReason)`.
public final class PacketCapture: Sendable {
    public static let path = "/usr/bin/tcpdump"
    public static let isAvailable = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: path)
    public static let missingReason: Comment = "a packet capture needs root and tcpdump (apt-get install tcpdump)"

    private let process: SpawnedProcess
    private let file: URL

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private init(process: SpawnedProcess, file: URL) {
        self.process = process
        self.file = file
    }

    /// Starts capturing on `interface` what `filter` (tcpdump's syntax) selects, into `file`, and
    /// returns once tcpdump says it is listening.
    public static func start(interface: String, filter: String, into file: URL) throws -> PacketCapture {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess.start(
                path, ["-i", interface, "--immediate-mode", "-U", "-n", "-Z", "root", "-w", file.path, filter], standardError: descriptors[1])
        } catch {
            close(descriptors[0])
            close(descriptors[1])
            throw error
        }
        close(descriptors[1])
        // tcpdump says "listening on …" on stderr once the capture runs; nothing more comes after.
        let errors = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("listening on") {
            let chunk = errors.availableData
            if chunk.isEmpty {
                throw Failure(description: "tcpdump did not start: \(String(decoding: said, as: UTF8.self))")
            }
            said.append(chunk)
        }
        return PacketCapture(process: process, file: file)
    }

    /// Waits until the file holds `marker` `count` times: packets are written in the order they
    /// were seen, so everything sent before the marker is in the file then. nil if it never came
    /// within `timeout` (the file is re-read as it grows; there is no event for that).
    public func waitUntilCaptured(_ marker: Data, count: Int, timeout: Duration = .seconds(10)) async throws -> Data? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let bytes = try Data(contentsOf: file)
            if bytes.ranges(of: marker).count >= count { return bytes }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Stops the capture (tcpdump writes each packet as it comes, `-U`) and returns every byte it saved.
    public func stop() throws -> Data {
        process.signal(SIGINT)
        process.waitUntilExit()
        return try Data(contentsOf: file)
    }
}
