import Foundation
import TestSupport
import Testing

/// What the relay sees: `tcpdump` in the public namespace, where coturn runs, records every
/// packet while two clients behind symmetric NATs exchange a message and a file over `relayed`.
/// The capture must hold their traffic (the relay's ports, at least the file's size in bytes),
/// and neither the message's text nor the file's bytes may appear in it: the relay carries
/// the peers' TLS, never plaintext.
extension EndToEndTests {
    static let tcpdump = URL(fileURLWithPath: "/usr/bin/tcpdump")

    @Test(
        "the relay's namespace sees the relayed message and file only encrypted",
        .enabled(if: NatInternet.available, NatInternet.missingReason),
        .enabled(if: FileManager.default.isExecutableFile(atPath: tcpdump.path), "needs tcpdump"))
    func relaySeesNoPlaintext() async throws {
        try await NatInternet.run { net, locator, scenario in
            let capture = scenario.path("relay.pcap")
            let recorder = try await net.start(
                "tcpdump", in: net.pub, ["-i", "any", "-n", "-s", "0", "-U", "-Z", "root", "-w", capture.path],
                executable: Self.tcpdump, scenario: scenario)
            _ = await poll(timeout: .seconds(20)) { recorder.errors.lines.contains { $0.contains("listening on") } ? true : nil }
            #expect(recorder.errors.lines.contains { $0.contains("listening on") }, "\(recorder.report())")

            let carol = try await net.client("carol", in: net.symA, locator: locator, scenario: scenario)
            let dave = try await net.client("dave", in: net.symB, locator: locator, scenario: scenario)
            try await Self.befriend(carol, dave, names: ("carol", "dave"))
            let marker = "capture-marker-\(UUID().uuidString)"
            let sent = try await carol.run("/msg dave \(marker)", expecting: "sent", ["to": "dave"])
            #expect(sent["delivery"] == "delivered")
            try await dave.waitForEvent("message", ["from": "carol", "text": marker])

            // A file made of one unique 48-byte pattern, over and over: any packet holding a
            // piece of the file in clear holds the pattern whole.
            let pattern = Data("file-pattern-\(UUID().uuidString)-!".utf8)
            let source = scenario.path("outbox/pattern.bin")
            try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
            let fileSize = 1 << 20
            try Data((0..<(fileSize / pattern.count + 1)).flatMap { _ in pattern }.prefix(fileSize)).write(to: source)
            try carol.send("/file dave \(source.path)")
            let received = try await dave.waitForEvent("file_received", ["peer": "carol", "name": "pattern.bin"], timeout: .seconds(60))
            #expect(received["sha256"] == (try Self.sha256(source.path)))
            #expect(try await Self.path(to: "carol", seenBy: dave) == "relayed")

            recorder.signal(SIGINT)
            try await recorder.waitForExit()
            let packets = try Data(contentsOf: capture)
            #expect(packets.count > fileSize, "the capture holds less than the file: \(packets.count) bytes")
            let onRelayPort = try SpawnedProcess.run(Self.tcpdump.path, ["-n", "-r", capture.path, "tcp port 3478"]).output
            #expect(onRelayPort.split(separator: "\n").count > 10, "no traffic on coturn's port in the capture")
            // The search finds what does cross in clear: coturn's realm, in its STUN answers.
            #expect(packets.range(of: Data("p2pchat".utf8)) != nil, "the capture holds no STUN payload in clear")
            #expect(packets.range(of: Data(marker.utf8)) == nil, "the message's text crossed the relay in clear")
            #expect(packets.range(of: pattern) == nil, "the file's bytes crossed the relay in clear")
        }
    }
}
