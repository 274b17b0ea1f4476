import Foundation
import Testing

@testable import Shell

@Suite struct ShellSettingsTests {
    @Test func theBellRingsByMode() {
        let message = (text: "lunch?", from: "bob")
        #expect(!BellMode.off.rings(text: "alice!", from: "bob", me: "alice", conversation: nil))
        #expect(BellMode.mentions.rings(text: message.text, from: message.from, me: "alice", conversation: "carol"))
        #expect(!BellMode.mentions.rings(text: message.text, from: message.from, me: "alice", conversation: "bob"))
        #expect(BellMode.mentions.rings(text: "Alice, lunch?", from: "bob", me: "alice", conversation: "bob"))
        #expect(!BellMode.mentions.rings(text: "malice", from: "bob", me: "alice", conversation: "bob"))
        #expect(BellMode.all.rings(text: message.text, from: message.from, me: "alice", conversation: "bob"))
    }

    @Test func settingsRoundTripThroughTheirFile() throws {
        var settings = ShellSettings()
        #expect(settings.bell == .mentions)
        #expect(settings.echoCancellation)
        try settings.set("BELL", to: "All")
        try settings.set("aec", to: "OFF")
        #expect(settings.fileText == "bell = all\naec = off\n")
        #expect(ShellSettings(fileText: settings.fileText) == settings)
        #expect(ShellSettings(fileText: "bell = all\n").echoCancellation, "a file from before aec turned it off")
        #expect(ShellSettings(fileText: "garbage\nbell = loud\nvolume = 3\n") == ShellSettings())
    }

    @Test func wrongNamesAndValuesSayWhatIsRight() {
        var settings = ShellSettings()
        #expect(throws: CommandLineError("bell is one of off, mentions, all; usage: /set [NAME [VALUE]]")) {
            try settings.set("bell", to: "loud")
        }
        #expect(throws: CommandLineError("no setting called 'volume': the settings are bell, aec")) {
            try settings.set("volume", to: "3")
        }
    }
}
