import Testing

@testable import Shell

@Suite("TerminalNotification: desktop notifications as control sequences")
struct TerminalNotificationTests {
    @Test("OSC 777 and OSC 9, each ended by BEL")
    func plainSequences() {
        let notification = TerminalNotification(title: "p2pchat: bob", body: "lunch?")
        #expect(notification.sequence(insideTmux: false) == "\u{1B}]777;notify;p2pchat: bob;lunch?\u{7}\u{1B}]9;p2pchat: bob: lunch?\u{7}")
    }

    @Test("a peer's text can neither end the sequence early nor start another, nor add a field")
    func hostileText() {
        let notification = TerminalNotification(title: "p2pchat: m;allory", body: "hi\u{7}\u{1B}]0;owned\u{7}\u{9B}2J\nthere")
        #expect(notification.title == "p2pchat: m,allory")
        #expect(notification.body == "hi]0;owned2J there")
        let sequence = notification.sequence(insideTmux: false)
        #expect(sequence.unicodeScalars.filter { $0 == "\u{7}" }.count == 2)
        #expect(sequence.unicodeScalars.filter { $0 == "\u{1B}" }.count == 2)
    }

    @Test("a long message is cut, and inside tmux each sequence is wrapped in its passthrough")
    func longTextAndTmux() {
        let notification = TerminalNotification(title: "p2pchat: bob", body: String(repeating: "a", count: 500))
        #expect(notification.body.count == TerminalNotification.maximumBodyLength)
        #expect(notification.body.hasSuffix("…"))
        let wrapped = TerminalNotification(title: "t", body: "b").sequence(insideTmux: true)
        #expect(wrapped == "\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;t;b\u{7}\u{1B}\\\u{1B}Ptmux;\u{1B}\u{1B}]9;t: b\u{7}\u{1B}\\")
    }
}
