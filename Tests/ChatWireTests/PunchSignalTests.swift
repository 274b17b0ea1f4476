import ChatWire
import Testing

/// The `Punch` envelope's `Data`, which a peer sends over a relayed connection: what we send reads
/// back as itself, and anything else a peer might send is refused rather than acted on.
@Suite("PunchSignal")
struct PunchSignalTests {
    @Test("connect, sync and switch read back as themselves")
    func roundTrip() throws {
        let address = try #require(PeerCandidate(kind: .direct, host: "203.0.113.2", port: 40123))
        for signal in [PunchSignal.connect([address]), .connect([]), .sync, .switchOver] {
            #expect(PunchSignal(data: signal.data) == signal)
        }
        #expect(PunchSignal.connect([address]).data == "connect direct:203.0.113.2:40123")
        let envelope = PunchSignal.sync.envelope(from: "alice", to: "bob")
        #expect(envelope.type == .punch && envelope.source == "alice" && envelope.target == "bob" && envelope.data == "sync")
    }

    @Test("a peer cannot make us dial its LAN, the relay or a name, nor send junk", arguments: [
        "", "connect lan:192.168.1.2:5", "connect relayed:198.51.100.1:5", "connect punched:1.2.3.4:5",
        "connect direct:example.org:5", "connect  direct:1.2.3.4:5", "sync now", "switch ", "SYNC", "hello",
        "connect " + Array(repeating: "direct:1.2.3.4:5", count: PunchSignal.maxAddresses + 1).joined(separator: " "),
    ])
    func refused(data: String) {
        #expect(PunchSignal(data: data) == nil)
    }
}
