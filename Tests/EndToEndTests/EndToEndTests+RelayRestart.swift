import Foundation
import Testing
import TestSupport

/// The relay going away under a transfer: coturn is killed mid-file between two homes behind
/// symmetric NATs (only the relay joins them) and started again; the clients allocate anew,
/// publish the new relayed addresses, and the file resumes and arrives whole.
extension EndToEndTests {
    @Test(
        "the relay restarting mid-transfer: the file resumes once the relayed path is back, and arrives with its hash checked",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func relayRestartMidTransfer() async throws {
        try await NatInternet.run { net, locator, scenario in
            let carol = try await net.client("carol", in: net.symA, locator: locator, scenario: scenario)
            let dave = try await net.client("dave", in: net.symB, locator: locator, scenario: scenario)
            try await Self.befriend(carol, dave, names: ("carol", "dave"))
            let source = scenario.path("outbox/big.bin")
            try Self.makeFile(source, megabytes: 90)
            try carol.send("/file dave \(source.path)")
            try await dave.waitForEvent("file_progress", ["peer": "carol", "direction": "incoming"], timeout: .seconds(60))

            let relay = try RelayProcess(pidFile: scenario.path("turn/turnserver.pid"))
            let killed = dave.mark()
            relay.kill()
            #expect(dave.events("file_received").isEmpty, "the file arrived before the relay was killed")
            try await net.start("turnserver", in: net.pub, relay.arguments, executable: NatInternet.turnserver, scenario: scenario)
                .waitForLine(timeout: .seconds(30), "coturn's TCP listener") { $0.contains("TCP listener opened on") }

            // Each side hears once that the relay went away.
            let lost = try await dave.waitForEvent("error", after: killed, timeout: .seconds(30))
            #expect(lost["message"]?.hasPrefix("the TURN relay is not available") == true, "\(lost)")
            let received = try await dave.waitForEvent("file_received", ["peer": "carol", "name": "big.bin"], after: killed, timeout: .seconds(180))
            let expected = try Self.sha256(source.path)
            #expect(received["sha256"] == expected)
            #expect(try Self.sha256(try #require(received["path"])) == expected)
            try await carol.waitForEvent("file_sent", ["peer": "dave", "name": "big.bin"], timeout: .seconds(30))
            #expect(try await Self.path(to: "dave", seenBy: carol) == "relayed")
        }
    }
}

/// A running coturn, found by its pid file: its command line, to start it again the same way.
private struct RelayProcess {
    let pid: pid_t
    let arguments: [String]

    init(pidFile: URL) throws {
        let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text) else { throw EndToEndError("coturn's pid file holds no pid: \(text)") }
        let commandLine = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        self.pid = pid
        arguments = commandLine.split(separator: 0).dropFirst().map { String(decoding: $0, as: UTF8.self) }
    }

    func kill() {
        _ = Glibc.kill(pid, SIGKILL)
    }
}
