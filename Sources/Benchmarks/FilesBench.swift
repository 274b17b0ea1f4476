import ArgumentParser
import CommandLineSupport
import Foundation
import Locator
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

extension Bench {
    struct FilesBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "files",
            abstract: "Send a big file between two clients on loopback and compare with raw TCP and scp.",
            discussion: """
                Starts an in-process locator and two p2pchat clients as child processes (so each \
                side's peak memory is its own), makes them friends, and times /file from the offer \
                to the receiver's verified file_received: TLS, hashing on both sides, the disk; and \
                how long a chat message sent meanwhile takes to be acknowledged. In \
                the same run, interleaved, it copies the same file over plain TCP on loopback \
                (sendfile, no TLS, no hash) as the ceiling, and with scp to 127.0.0.1 when an sshd \
                answers there (--ssh-port, --ssh-identity). Every copy ends with an fsync of what \
                it wrote, and each starts right after the copy before it is deleted, so that all \
                of them write into the same kind of memory. Prints the medians and the ratios.
                """
        )

        @Option(help: ArgumentHelp("The size of the file (K, M, G: powers of 1024).", valueName: "size"))
        var size = ByteSize(bytes: 1 << 30)

        @Option(help: ArgumentHelp("Interleaved runs of each way of copying.", valueName: "n"))
        var runs = 3

        @Option(help: ArgumentHelp("The port of the sshd on 127.0.0.1 that scp copies to.", valueName: "port"))
        var sshPort = 22

        @Option(help: ArgumentHelp("The private key scp logs in with (default: ssh's own choice).", valueName: "path"))
        var sshIdentity: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard size.bytes > 0 else { throw ValidationError("--size must be above 0") }
            guard (1...20).contains(runs) else { throw ValidationError("--runs must be 1...20") }
        }

        func run() async throws {
            var logger = common.makeLogger(label: "p2pchat.bench")
            logger.logLevel = max(logger.logLevel, .warning)
            let locator = try await BenchLocator.start(logger: logger)
            let scratch = locator.scratch
            let source = scratch.appendingPathComponent("payload.bin")
            try Self.makeFile(source, bytes: size.bytes)

            let port = locator.port
            let scp = scpAvailable()

            var chat: [Double] = [], raw: [Double] = [], secureCopy: [Double] = []
            var messages: [Double] = [], messagesLate = 0
            var senderPeak: Int64 = 0, receiverPeak: Int64 = 0
            // Each copy starts right after the one before it is deleted. On a virtual machine, pages
            // freed a moment ago are still backed by the host, while those freed some seconds
            // ago have gone back to it, and filling those costs several times more: a copy
            // started after a pause (the chat clients logging in) would pay that, the next not.
            var previous: String?
            func dropPrevious() {
                if let previous { unlink(previous) }
                previous = nil
            }
            defer { dropPrevious() }
            for run in 1...runs {
                let measured = try await chatRun(run, source: source, scratch: scratch, locatorPort: port, beforeStart: dropPrevious)
                previous = measured.path
                chat.append(measured.rate)
                if let message = measured.message { messages.append(message.inSeconds) } else { messagesLate += 1 }
                senderPeak = max(senderPeak, measured.senderPeak)
                receiverPeak = max(receiverPeak, measured.receiverPeak)
                let copy = scratch.appendingPathComponent("raw-copy.bin").path
                dropPrevious()
                raw.append(Double(size.bytes) / (try RawFileCopy.run(source: source.path, destination: copy)).inSeconds)
                previous = copy
                if scp {
                    let destination = scratch.appendingPathComponent("scp-copy.bin").path
                    dropPrevious()
                    if let rate = scpRun(source: source.path, destination: destination, bytes: size.bytes) { secureCopy.append(rate) }
                    previous = destination
                }
                say("  run \(run): p2pchat \(Self.megabytes(chat.last!)), raw TCP \(Self.megabytes(raw.last!))"
                    + (secureCopy.count == run ? ", scp \(Self.megabytes(secureCopy.last!))" : ""))
            }
            await locator.stop()

            let chatMedian = Self.median(chat), rawMedian = Self.median(raw)
            say("files benchmark: \(Self.gibibytes(size.bytes)), \(runs) interleaved runs, \(ProcessInfo.processInfo.activeProcessorCount) cores, loopback")
            say("  p2pchat /file (TLS 1.3, SHA-256 both sides)  \(Self.megabytes(chatMedian)) median")
            say("  raw TCP (sendfile, no TLS, no hash)         \(Self.megabytes(rawMedian)) median (the ceiling)")
            if secureCopy.isEmpty {
                say("  scp to 127.0.0.1                            skipped: \(scp ? "scp failed (no key login to 127.0.0.1:\(sshPort))" : "no sshd answers on 127.0.0.1:\(sshPort)")")
            } else {
                let scpMedian = Self.median(secureCopy)
                say("  scp to 127.0.0.1 (then fsync)               \(Self.megabytes(scpMedian)) median")
                say("  p2pchat / scp                               \(String(format: "%.2f", chatMedian / scpMedian))× (goal ≥ 3×)")
            }
            say("  p2pchat / raw TCP                           \(String(format: "%.2f", chatMedian / rawMedian))× (goal ≥ 0.5×)")
            say("  chat message during the transfer (acked)    "
                + (messages.isEmpty ? "" : String(format: "%.0f ms median, %.0f ms at most", Self.median(messages) * 1000, messages.max()! * 1000))
                + (messagesLate > 0 ? "\(messages.isEmpty ? "" : "; ")\(messagesLate) of \(runs) shown only after the file" : ""))
            say("  peak RSS sender / receiver                  \(senderPeak >> 20) MiB / \(receiverPeak >> 20) MiB (goal < 64 MB each)")
        }

        /// Two fresh clients become friends; one sends the file, the other receives and verifies it.
        /// The received file is moved out of the run's directory, which is removed; the caller deletes it.
        private func chatRun(_ run: Int, source: URL, scratch: URL, locatorPort: Int, beforeStart: () -> Void) async throws
            -> (rate: Double, senderPeak: Int64, receiverPeak: Int64, path: String, message: Duration?)
        {
            let root = scratch.appendingPathComponent("run-\(run)")
            defer { try? FileManager.default.removeItem(at: root) }
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            func client(_ name: String) throws -> BenchClient {
                try BenchClient(
                    name: name, executable: executable,
                    arguments: [
                        "chat", "--locator", "127.0.0.1:\(locatorPort)", "--listen", "127.0.0.1:0", "--json",
                        "--data-dir", root.path, "--auto-accept", "\(size.bytes)", "--log-level", "error",
                    ])
            }
            let bob = try client("receiver"), alice = try client("sender")
            defer {
                alice.quit()
                bob.quit()
            }
            bob.send("/login bob benchmark")
            alice.send("/login alice benchmark")
            try await bob.wait(for: "logged_in", timeout: .seconds(30))
            try await alice.wait(for: "logged_in", timeout: .seconds(30))
            alice.send("/add bob")
            try await bob.wait(for: "friend_request", timeout: .seconds(30))
            bob.send("/accept alice")
            try await alice.wait(for: "friend_added", timeout: .seconds(30))

            beforeStart()
            let start = ContinuousClock.now
            alice.send("/file bob \(source.path)")
            async let message = Self.messageDuringTransfer(from: alice, to: bob, run: run)
            let received = try await bob.wait(for: "file_received")
            let elapsed = ContinuousClock.now - start
            let messageTime = try await message
            let sent = try await alice.wait(for: "file_sent", timeout: .seconds(60))
            guard let hash = received["sha256"] as? String, hash == sent["sha256"] as? String,
                let path = received["path"] as? String,
                (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value == size.bytes
            else {
                throw BenchClient.Failure(description: "the received file does not match what was sent")
            }
            let peaks = (alice.peakResidentBytes, bob.peakResidentBytes)
            let kept = scratch.appendingPathComponent("p2pchat-copy.bin").path
            guard rename(path, kept) == 0 else {
                throw BenchClient.Failure(description: "cannot move \(path): \(String(cString: strerror(errno)))")
            }
            return (Double(size.bytes) / elapsed.inSeconds, peaks.0, peaks.1, kept, messageTime)
        }

        /// Once bytes flow, a chat message from the receiver to the sender (whose script waits in
        /// `/file`): the time from `/msg` to its delivery ack, which comes back on the connection
        /// the file fills; nil when the file was through first.
        private static func messageDuringTransfer(from alice: BenchClient, to bob: BenchClient, run: Int) async throws -> Duration? {
            try await bob.wait(for: "file_progress", timeout: .seconds(60))
            let text = "while the file flows \(run)"
            let sent = ContinuousClock.now
            bob.send("/msg alice \(text)")
            // `/msg` in a script prints `sent` once the ack is in (or, without one, as queued).
            try await bob.wait(for: "sent", ["to": "alice", "delivery": "delivered"], timeout: .seconds(60))
            let acked = ContinuousClock.now - sent
            let fileThrough = (try? await bob.wait(for: "file_received", timeout: .milliseconds(1))) != nil
            return fileThrough ? nil : acked
        }

        /// A file of varied bytes: one random MiB, stamped with each block's number.
        static func makeFile(_ url: URL, bytes: Int64) throws {
            var block = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255) }
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            var left = bytes
            var number: UInt64 = 0
            while left > 0 {
                withUnsafeBytes(of: number) { for index in 0..<8 { block[index] = $0[index] } }
                let count = Int(min(left, Int64(block.count)))
                try handle.write(contentsOf: block[..<count])
                left -= Int64(count)
                number += 1
            }
            try handle.synchronize()
        }

        /// Whether scp exists and something listens on 127.0.0.1 at the ssh port.
        private func scpAvailable() -> Bool {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/scp") else { return false }
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(probe) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(sshPort).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        }

        /// Bytes per second of one `scp` to 127.0.0.1 and an fsync of the copy (scp itself does
        /// not sync; p2pchat and the raw copy do), or nil when it fails.
        private func scpRun(source: String, destination: String, bytes: Int64) -> Double? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/scp")
            process.arguments =
                ["-q", "-P", "\(sshPort)", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
                + (sshIdentity.map { ["-o", "IdentitiesOnly=yes", "-i", $0] } ?? []) + [source, "127.0.0.1:\(destination)"]
            process.standardError = FileHandle.nullDevice
            let start = ContinuousClock.now
            guard (try? process.run()) != nil else { return nil }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            let copy = open(destination, O_RDONLY | O_CLOEXEC)
            guard copy >= 0 else { return nil }
            defer { close(copy) }
            guard fsync(copy) == 0 else { return nil }
            return Double(bytes) / (ContinuousClock.now - start).inSeconds
        }

        private static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }

        private static func megabytes(_ bytesPerSecond: Double) -> String {
            String(format: "%.0f MB/s", bytesPerSecond / 1_000_000)
        }

        private static func gibibytes(_ bytes: Int64) -> String {
            String(format: "%.2f GiB", Double(bytes) / Double(1 << 30))
        }
    }
}
