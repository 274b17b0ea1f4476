import ChatWire
import Testing

@Suite("IPv4Text")
struct IPv4TextTests {
    @Test("dotted quads", arguments: ["0.0.0.0", "127.0.0.1", "166.111.180.60", "255.255.255.255", "010.1.1.1"])
    func valid(text: String) {
        #expect(IPv4Text.isValid(text))
    }

    @Test(
        "not dotted quads",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1..3.4", "1.2.3.", "0001.1.1.1",
            "a.b.c.d", "::1", "1.2.3.4\n", "１.２.３.４",
        ])
    func invalid(text: String) {
        #expect(!IPv4Text.isValid(text))
    }
}
