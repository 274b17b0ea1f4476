import ChatWire
import Foundation
import Testing

@testable import ChatEngine
@testable import Shell

@Suite struct OutputRendererTests {
    private let plain = Fixtures.renderer
    private let colored = Fixtures.colorRenderer

    // MARK: Human

    @Test func messagesAreIrssiLike() {
        #expect(plain.human(.event(.messaging(.message(Fixtures.incoming("hi"))))) == "[09:05] <bob> hi")
        #expect(plain.human(.event(.messaging(.message(Fixtures.incoming("hi", at: Fixtures.yesterday))))) == "[2025-01-30 09:05] <bob> hi")
    }

    @Test func groupLinesNameTheGroup() {
        var message = Fixtures.incoming("hi all")
        message.conversation = "#" + String(repeating: "3f", count: 16)
        #expect(plain.human(.event(.groups(.message(group: "#team", message: message)))) == "[09:05] #team <bob> hi all")
        #expect(plain.human(.event(.groups(.memberLeft(group: "#team", member: "carol")))) == "[09:05] -!- carol left #team")
        #expect(plain.json(.event(.groups(.message(group: "#team~3f2a", message: message)))).contains(##""group":"#team~3f2a""##))
        var sent = Fixtures.outgoing("to all", delivery: .queued)
        sent.conversation = "#team"
        #expect(plain.human(.sent(sent)) == "[09:05] #team <alice> to all (queued)")
    }

    @Test func timesAreInTheLocalTimeZone() {
        let tokyo = OutputRenderer(color: false, me: nil, timeZone: TimeZone(identifier: "Asia/Tokyo")!, now: { Fixtures.now })
        #expect(tokyo.human(.event(.messaging(.message(Fixtures.incoming("hi"))))) == "[18:05] <bob> hi")
    }

    @Test func events() {
        #expect(plain.human(.event(.session(.presence(user: "bob", online: true)))) == "[09:05] -!- bob is online")
        #expect(plain.human(.event(.session(.presence(user: "bob", online: false)))) == "[09:05] -!- bob is offline")
        #expect(
            plain.human(.event(.friends(.request(from: "bob", fingerprint: Fixtures.fingerprint))))
                == "[09:05] *** friend request from bob (fingerprint 3F2A 91BC 3F2A 91BC …): /accept bob or /reject bob")
        #expect(plain.human(.event(.session(.error("cannot reach bob: timed out")))) == "[09:05] error: cannot reach bob: timed out")
        #expect(plain.human(.event(.session(.loggedIn(user: "alice", registered: false)))) == "[09:05] -!- logged in as alice")
        #expect(
            plain.human(.event(.session(.locator(connected: false, detail: "connection reset"))))
                == "[09:05] -!- lost the locator: connection reset")
        #expect(plain.human(.event(.messaging(.delivered(to: "bob", id: "m1")))) == "[09:05] -!- delivered to bob")
        #expect(plain.human(.event(.session(.securityWarning("bob changed")))) == "[09:05] *** security warning: bob changed")
    }

    @Test func ownLinesOutsideTheConversationSayWhereTheyWent() {
        var renderer = plain
        renderer.conversation = "bob"
        #expect(renderer.human(.sent(Fixtures.outgoing("hi", to: "bob", delivery: .delivered))) == "[09:05] <alice> hi")
        #expect(renderer.human(.sent(Fixtures.outgoing("hi", to: "carol", delivery: .delivered))) == "[09:05] <alice→carol> hi")
        renderer.conversation = nil
        #expect(renderer.human(.sent(Fixtures.outgoing("hi", to: "bob", delivery: .delivered))) == "[09:05] <alice→bob> hi")
        // History is one conversation already: no arrows there.
        #expect(renderer.human(.history(with: "carol", messages: [Fixtures.outgoing("x", to: "carol")])).contains("<alice> x"))
    }

    @Test func unreadMessagesComeUnderAMarker() {
        #expect(
            plain.human(.unread(with: "bob", messages: [Fixtures.incoming("one"), Fixtures.incoming("two")]))
                == "--- unread ---\n[09:05] <bob> one\n[09:05] <bob> two")
    }

    @Test func longMessagesWrapAtWordsUnderTheirText() {
        var renderer = plain
        renderer.width = 30
        let text = renderer.human(.event(.messaging(.message(Fixtures.incoming("the quick brown fox jumps over the lazy dog")))))
        // "[09:05] <bob> " is 14 columns: 16 are left for the text.
        #expect(text == "[09:05] <bob> the quick brown\n              fox jumps over\n              the lazy dog")
        #expect(OutputRenderer.wrapped("abcdefghijklmnopqrstuvwxyz", width: 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"])
        #expect(OutputRenderer.wrapped("short", width: 10) == ["short"])
        TerminalText.useUTF8Locale()  // as the program does: wide characters take two columns
        #expect(OutputRenderer.wrapped("ab 你好你好你好", width: 10) == ["ab", "你好你好你", "好"])
    }

    @Test func helpKeysIsATableWithHelpsColumns() {
        /// Where the second column starts on each row of a table (rows are indented by four spaces).
        func secondColumns(_ text: String) -> Set<Int> {
            Set(text.split(separator: "\n").filter { $0.hasPrefix("    ") }.compactMap { row -> Int? in
                let body = row.dropFirst(4)
                guard let gap = body.range(of: "  ") else { return nil }
                let start = body[gap.lowerBound...].firstIndex { $0 != " " } ?? body.endIndex
                return 4 + body.distance(from: body.startIndex, to: start)
            })
        }
        let help = plain.human(.help(CommandSpec.all.filter { $0.section == .chat }))
        let keys = plain.human(.keys(KeyBinding.all))
        #expect(keys.hasPrefix("-!- keys at the prompt:\n    Alt-1 … Alt-9"), "\(keys)")
        #expect(secondColumns(help).count == 1, "\(help)")
        #expect(secondColumns(keys) == secondColumns(help), "\(keys)\n\(help)")
        #expect(!keys.split(separator: "\n").dropFirst().contains { $0.hasPrefix("-!-") }, "one table, no notice per row:\n\(keys)")
    }

    @Test func aReceivedFileIsNamedAsSaved() {
        var transfer = FileTransfer(
            number: 2, id: "t2", peer: "bob", direction: .incoming, name: "photo.jpg", size: 2048, state: .done,
            bytes: 2048, path: "/home/alice/Downloads/photo (1).jpg", sha256: String(repeating: "ab", count: 32))
        #expect(
            plain.human(.event(.transfers(.received(transfer))))
                == "[09:05] -!- received photo (1).jpg (sent as photo.jpg) (2.05 kB, sha256 abababababababab…) in /home/alice/Downloads")
        #expect(plain.human(.files([transfer])).contains("2. from bob photo (1).jpg (2.05 kB, 100%, done)"))
        transfer.path = "/home/alice/Downloads/photo.jpg"
        #expect(
            plain.human(.event(.transfers(.received(transfer))))
                == "[09:05] -!- received photo.jpg (2.05 kB, sha256 abababababababab…) in /home/alice/Downloads")
    }

    @Test func everyIDHasItsOwnStableColour() {
        #expect(OutputRenderer.colour(of: "bob") == OutputRenderer.colour(of: "bob"))
        let colours = Set(["alice", "bob", "carol", "dave", "erin", "frank", "grace"].map(OutputRenderer.colour(of:)))
        #expect(colours.count > 3, "ids spread over the palette: \(colours)")
        // Derived from the id alone (FNV-1a), not from Swift's per-process hashing: the same on every run.
        let dark = NickPalette(background: .dark)
        #expect(dark.colour(of: "bob").attributes == "38;5;44")
        #expect(dark.colour(of: "carol").attributes == "38;5;141")
        let line = colored.human(.event(.messaging(.message(Fixtures.incoming("hi")))))
        #expect(line.contains("\u{1B}[\(OutputRenderer.colour(of: "bob"))mbob\u{1B}[0m"), "\(line.debugDescription)")
    }

    @Test(arguments: [NickPalette.Background.dark, .light])
    func nickColoursAreFarApartAndReadableOnTheBackground(_ background: NickPalette.Background) {
        let palette = NickPalette(background: background)
        // bob and carol once got nearly the same yellow.
        #expect(Self.distance(palette.colour(of: "bob"), palette.colour(of: "carol")) > 150)
        for (index, colour) in palette.colours.enumerated() {
            for other in palette.colours[(index + 1)...] {
                #expect(Self.distance(colour, other) > 90, "\(colour) and \(other) look alike")
            }
            // Contrast with the background (WCAG's ratio): 3 is the floor for large text, names are bold-ish.
            let ratio = Self.contrast(colour, background == .dark ? (0, 0, 0) : (255, 255, 255))
            #expect(ratio >= 3, "\(colour) is too close to a \(background) background: \(ratio)")
        }
    }

    @Test func theBackgroundComesFromCOLORFGBG() {
        #expect(NickPalette.background(colorFGBG: nil) == .dark)
        #expect(NickPalette.background(colorFGBG: "15;0") == .dark)
        #expect(NickPalette.background(colorFGBG: "0;15") == .light)
        #expect(NickPalette.background(colorFGBG: "0;default;7") == .light)
        #expect(NickPalette.background(colorFGBG: "junk") == .dark)
    }

    /// "Redmean" distance between two colours, close to how different people see them (0 to about 765).
    private static func distance(_ a: NickPalette.Colour, _ b: NickPalette.Colour) -> Double {
        let meanRed = Double(a.red + b.red) / 2
        let (red, green, blue) = (Double(a.red - b.red), Double(a.green - b.green), Double(a.blue - b.blue))
        return ((2 + meanRed / 256) * red * red + 4 * green * green + (2 + (255 - meanRed) / 256) * blue * blue).squareRoot()
    }

    private static func contrast(_ colour: NickPalette.Colour, _ background: (Int, Int, Int)) -> Double {
        func luminance(_ red: Int, _ green: Int, _ blue: Int) -> Double {
            func channel(_ value: Int) -> Double {
                let c = Double(value) / 255
                return c <= 0.039_28 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
        }
        let (a, b) = (luminance(colour.red, colour.green, colour.blue), luminance(background.0, background.1, background.2))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    @Test func yourIDIsHighlightedInMessages() {
        let line = colored.human(.event(.messaging(.message(Fixtures.incoming("hey Alice, and malice; alice.")))))
        #expect(line.contains("hey \u{1B}[1;35mAlice\u{1B}[0m, and malice; \u{1B}[1;35malice\u{1B}[0m."), "\(line.debugDescription)")
        #expect(plain.human(.event(.messaging(.message(Fixtures.incoming("hey alice"))))) == "[09:05] <bob> hey alice")
    }

    @Test func results() {
        #expect(plain.human(.error("bob is not your friend")) == "error: bob is not your friend")
        #expect(plain.human(.sent(Fixtures.outgoing("hi", delivery: .delivered))) == "[09:05] <alice> hi")
        #expect(plain.human(.sent(Fixtures.outgoing("hi", delivery: .queued))) == "[09:05] <alice> hi (queued)")
        #expect(plain.human(.query(id: "bob", address: nil)) == "-!- bob is offline")
        #expect(
            plain.human(.query(id: "bob", address: PeerAddress(host: "192.0.2.7", port: 5000, fingerprint: nil)))
                == "-!- bob is online at 192.0.2.7 port 5000")
        #expect(plain.human(.info("one\ntwo")) == "-!- one\n-!- two")
        #expect(
            plain.human(.status(user: "alice", locatorConnected: true, peerPort: 5000, friendsOnline: 1, friends: 2, queued: 3))
                == "-!- logged in as alice, locator connected, peer port 5000; 1 of 2 friends online; 3 messages queued")
        #expect(
            plain.human(.status(user: nil, locatorConnected: false, peerPort: nil, friendsOnline: 0, friends: 0, queued: 1))
                == "-!- not logged in: /login ID; 1 message queued")
        #expect(plain.human(.commandHelp(CommandSpec.msg)).hasPrefix("-!- usage: /msg ID TEXT\n    Sends TEXT"))
    }

    @Test func whoamiShowsTheWholeFingerprint() {
        let grouped = Array(repeating: "3F2A 91BC", count: 8).joined(separator: " ")
        #expect(
            plain.human(.whoami(user: "alice", fingerprint: Fixtures.fingerprint, peerPort: 5000, locator: "localhost:7777"))
                == """
                -!- you are alice
                -!- fingerprint \(grouped)
                -!- listening for peers on port 5000
                -!- locator localhost:7777
                """)
    }

    @Test func friendsShowPresenceAndUnread() {
        #expect(
            plain.human(.friends(Fixtures.friends))
                == "-!- friends: 1 of 2 online\n    bob (online, 3 unread)\n    carol (offline)")
        #expect(plain.human(.friends([])) == "-!- no friends yet: /add ID sends a friend request")
    }

    @Test func requestsShowTheFullFingerprint() {
        let text = plain.human(.requests(incoming: [Fixtures.request], outgoing: [Fixtures.sentRequest]))
        let grouped = Array(repeating: "3F2A 91BC", count: 8).joined(separator: " ")
        #expect(
            text == """
                -!- friend requests to you:
                    dave (since 09:05, fingerprint \(grouped)): /accept dave or /reject dave
                -!- friend requests you sent:
                    erin (since 2025-01-30 09:05)
                """)
    }

    @Test func historyAndSearch() {
        let messages = [Fixtures.incoming("hi"), Fixtures.outgoing("hello")]
        #expect(
            plain.human(.history(with: "bob", messages: messages))
                == "-!- messages with bob:\n[09:05] <bob> hi\n[09:05] <alice> hello (queued)")
        #expect(plain.human(.history(with: "bob", messages: [])) == "-!- no messages with bob")
        #expect(
            plain.human(.search(query: "h", messages: messages))
                == "-!- 2 messages match \"h\":\n[09:05] (with bob) <bob> hi\n[09:05] (with bob) <alice> hello (queued)")
    }

    @Test func multiLineTextIsIndentedSoItCannotFakeALine() {
        let text = plain.human(.event(.messaging(.message(Fixtures.incoming("first\n[09:06] <carol> fake\r\nthird")))))
        #expect(text == "[09:05] <bob> first\n              [09:06] <carol> fake\n              third")
    }

    @Test func controlCharactersFromPeersAreStripped() {
        let hostile = "a\u{1B}[2J\u{1B}]0;title\u{7}b\u{8}c\u{9B}31md\u{202E}e\u{7F}f\tg"
        let outputs: [ShellOutput] = [
            .event(.messaging(.message(Fixtures.incoming(hostile)))),
            .event(.messaging(.message(Fixtures.incoming("x", from: "bo\u{1B}[31mb")))),
            .event(.session(.error(hostile))),
            .event(.session(.locator(connected: true, detail: hostile))),
            .query(id: "bob", address: PeerAddress(host: hostile, port: 1, fingerprint: nil)),
            .search(query: hostile, messages: []),
            .info(hostile),
        ]
        for output in outputs {
            for renderer in [plain, colored] {
                let text = renderer.human(output)
                #expect(!text.unicodeScalars.contains { [0x07, 0x08, 0x7F, 0x9B, 0x202E].contains($0.value) }, "\(text)")
                #expect(Self.escapesAreOnlyColours(text), "\(text.debugDescription)")
            }
            #expect(!plain.human(output).contains("\u{1B}"))
        }
        #expect(plain.human(.event(.messaging(.message(Fixtures.incoming(hostile))))) == "[09:05] <bob> a[2J]0;titlebc31mdef g")
    }

    @Test func colourOnlyWhenAsked() {
        for output in Fixtures.outputs {
            #expect(!plain.human(output).contains("\u{1B}"), "\(output)")
            #expect(Self.escapesAreOnlyColours(colored.human(output)))
            #expect(colored.human(output).contains("\u{1B}["), "\(output)")
            #expect(Self.withoutColours(colored.human(output)) == plain.human(output), "\(output)")
        }
        #expect(colored.human(.error("x")) == "\u{1B}[1;31merror:\u{1B}[0m x")
    }

    @Test func everyOutputHasText() {
        for output in Fixtures.outputs {
            let text = plain.human(output)
            #expect(!text.isEmpty && !text.hasSuffix("\n"), "\(output)")
        }
    }

    /// Whether every ESC in `text` starts an SGR sequence (`ESC [ digits/semicolons m`).
    private static func escapesAreOnlyColours(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\u{1B}" {
                guard index + 1 < scalars.count, scalars[index + 1] == "[" else { return false }
                var end = index + 2
                while end < scalars.count, scalars[end] == ";" || ("0"..."9").contains(scalars[end]) { end += 1 }
                guard end < scalars.count, scalars[end] == "m" else { return false }
                index = end
            } else if scalars[index].value < 0x20, scalars[index] != "\n" {
                return false
            }
            index += 1
        }
        return true
    }

    private static func withoutColours(_ text: String) -> String {
        text.replacing(#/\x1B\[[0-9;]*m/#, with: "")
    }

    // MARK: JSON

    @Test func jsonIsOneValidLineWithTheDocumentedFields() throws {
        for output in Fixtures.outputs {
            let line = plain.json(output)
            #expect(!line.contains("\n"), "\(line)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["event"] as? String == output.kind.name)
            #expect(Set(object.keys) == Set(["event"] + output.kind.fields), "\(line)")
        }
    }

    /// So that the test above, and the man page's, see every event the shell can print.
    @Test func fixturesHaveEveryKindOfEvent() {
        let shown = Fixtures.events.map { ShellOutput.event($0).kind }
        #expect(Set(shown.map(\.name)) == Set(OutputKind.events.map(\.name)), "Fixtures.events lacks a kind of event")
        #expect(Set(shown).isSubset(of: OutputKind.events), "an event's kind is not in the parts' lists of kinds")
    }

    @Test func jsonKeysAreSorted() {
        #expect(plain.json(.sent(Fixtures.outgoing("hi", delivery: .queued))) == #"{"delivery":"queued","event":"sent","id":"m-out","to":"bob"}"#)
        #expect(plain.json(.event(.session(.presence(user: "bob", online: true)))) == #"{"event":"presence","id":"bob","online":true,"path":null}"#)
        #expect(
            plain.json(.event(.messaging(.message(Fixtures.incoming("hi / \"there\"\n")))))
                == #"{"action":false,"deleted":false,"delivery":null,"direction":"incoming","edited":false,"event":"message","from":"bob","id":"m-in","number":null,"original":null,"reply_to":null,"text":"hi / \"there\"\n","time":"2025-01-31T09:05:00.000Z","to":"alice"}"#)
        #expect(
            plain.json(.query(id: "bob", address: nil))
                == #"{"address":null,"event":"query","fingerprint":null,"id":"bob","online":false,"path":null,"port":null,"rtt_ms":null}"#)
    }

    @Test func jsonKeepsPeerTextExactly() throws {
        let text = "a\u{1B}[2Jb\u{7} 你好"
        let line = plain.json(.event(.messaging(.message(Fixtures.incoming(text)))))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["text"] as? String == text)
        #expect(!line.contains("\u{1B}"))
    }

    @Test func jsonNestedObjects() throws {
        func object(_ output: ShellOutput) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(plain.json(output).utf8)) as? [String: Any])
        }
        let friends = try #require(try object(.friends(Fixtures.friends))["friends"] as? [[String: Any]])
        #expect(friends.count == 2)
        #expect(Set(friends[0].keys) == ["id", "online", "unread", "fingerprint", "away", "verified", "key_changed", "path", "rtt_ms"])
        #expect(friends[0]["unread"] as? Int == 3)
        let requests = try object(.requests(incoming: [Fixtures.request], outgoing: []))
        let incoming = try #require(requests["incoming"] as? [[String: Any]])
        #expect(Set(incoming[0].keys) == ["id", "fingerprint", "time"])
        #expect(incoming[0]["time"] as? String == "2025-01-31T09:05:00.000Z")
        let history = try object(.history(with: "bob", messages: [Fixtures.outgoing("hello")]))
        let messages = try #require(history["messages"] as? [[String: Any]])
        #expect(Set(messages[0].keys) == Set(try #require(OutputKind.event(named: "message")).fields))
        #expect(messages[0]["delivery"] as? String == "queued")
        let help = try #require(try object(.help(CommandSpec.all))["commands"] as? [[String: Any]])
        #expect(help.count == CommandSpec.all.count)
        #expect(Set(help[0].keys) == ["name", "usage", "summary"])
        #expect(help[0]["usage"] as? String == "/login ID [PASSWORD]")
        let one = try #require(try object(.commandHelp(CommandSpec.msg))["commands"] as? [[String: Any]])
        #expect(one.count == 1 && one[0]["help"] as? String == CommandSpec.msg.help)
        let whoami = try object(.whoami(user: "alice", fingerprint: Fixtures.fingerprint, peerPort: nil, locator: "h:1"))
        #expect(whoami["peer_port"] is NSNull)
        #expect(whoami["fingerprint"] as? String == Fixtures.fingerprint)
    }
}
