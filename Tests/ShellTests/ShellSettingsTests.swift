import Foundation
import Testing

@testable import Shell

@Suite struct ShellSettingsTests {
    @Test func theBellRingsByMode() {
        let message = (text: "lunch?", from: "bob")
        #expect(!AlertMode.off.rings(text: "alice!", from: "bob", me: "alice", conversation: nil))
        #expect(AlertMode.mentions.rings(text: message.text, from: message.from, me: "alice", conversation: "carol"))
        #expect(!AlertMode.mentions.rings(text: message.text, from: message.from, me: "alice", conversation: "bob"))
        #expect(AlertMode.mentions.rings(text: "Alice, lunch?", from: "bob", me: "alice", conversation: "bob"))
        #expect(!AlertMode.mentions.rings(text: "malice", from: "bob", me: "alice", conversation: "bob"))
        #expect(AlertMode.all.rings(text: message.text, from: message.from, me: "alice", conversation: "bob"))
    }

    @Test func settingsRoundTripThroughTheirFile() throws {
        var settings = ShellSettings()
        #expect(settings.bell == .mentions)
        #expect(settings.echoCancellation)
        try settings.set("BELL", to: "All")
        try settings.set("aec", to: "OFF")
        try settings.set("notify", to: "off")
        #expect(!settings.readReceipts && !settings.typing, "receipts and typing are off until asked for")
        try settings.set("receipts", to: "On")
        #expect(settings.fileText == "bell = all\nnotify = off\naec = off\nreceipts = on\ntyping = off\nkeep-edits = off\n")
        #expect(ShellSettings(fileText: settings.fileText) == settings)
        #expect(ShellSettings(fileText: "bell = all\n").echoCancellation, "a file from before aec turned it off")
        #expect(!ShellSettings(fileText: "bell = all\n").readReceipts, "a file from before receipts turned them on")
        #expect(ShellSettings(fileText: "garbage\nbell = loud\nvolume = 3\n") == ShellSettings())
    }

    @Test func wrongNamesAndValuesSayWhatIsRight() {
        var settings = ShellSettings()
        #expect(throws: CommandLineError("bell is one of off, mentions, all; usage: /set [NAME [VALUE]]")) {
            try settings.set("bell", to: "loud")
        }
        #expect(throws: CommandLineError("no setting called 'volume': the settings are bell, notify, aec, receipts, typing, keep-edits")) {
            try settings.set("volume", to: "3")
        }
    }
}
