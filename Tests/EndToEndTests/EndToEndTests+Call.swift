import Foundation
import Testing

extension EndToEndTests {
    @Test("a scripted call: /call returns once answered, /call shows the figures, /hangup ends it on both sides")
    func scriptedCall() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            func client(_ user: String) async throws -> ChildProcess {
                let silence = scenario.path("\(user)-silence.wav")
                try Self.wav(seconds: 2).write(to: silence)
                let options = [
                    "--audio-in", "file:\(silence.path)", "--audio-out", "file:\(scenario.path("\(user)-heard.wav").path)",
                ]
                let client = try await scenario.startClient(user, locatorPort: port, options: options)
                try await Self.login(client, as: user)
                return client
            }
            let bob = try await client("bob")
            let alice = try await client("alice")
            try await Self.befriend(alice, bob)

            try bob.send("/wait call_incoming from=alice")
            try bob.send("/answer alice")
            try await alice.run("/call bob", expecting: "info", ["message": "bob answered"], timeout: .seconds(40))
            try await alice.waitForEvent("call_started", ["peer": "bob"])
            try await bob.waitForEvent("call_started", ["peer": "alice"])
            let stats = try await alice.run("/call", expecting: "call_stats", ["peer": "bob"])
            #expect(stats["sent_kbps"] != nil && stats["buffer_ms"] != nil, "\(alice.report())")

            try bob.send("/wait call_ended")
            bob.closeInput()
            try alice.send("/hangup")
            try alice.send("/wait call_ended")
            alice.closeInput()
            #expect(try await alice.waitForExit(timeout: .seconds(30)) == 0, "\(alice.report())")
            #expect(try await bob.waitForExit(timeout: .seconds(30)) == 0, "\(bob.report())")
            #expect(alice.events("call_ended", ["peer": "bob", "reason": "hung up"]).count == 1, "\(alice.report())")
            #expect(bob.events("call_ended", ["peer": "alice", "reason": "peer hung up"]).count == 1, "\(bob.report())")
            // A scripted call lasts as long as the script takes (tens of milliseconds), and bob's
            // playout moves its ticks to when alice's packets arrive: one 20 ms frame at least.
            let heard = try Data(contentsOf: scenario.path("bob-heard.wav"))
            #expect(heard.count >= 44 + 960 * 2, "bob's speaker file holds no frame")
        }
    }

    @Test("the echo user befriends, echoes a message and plays a call back")
    func echoUser() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            _ = try await scenario.startEcho(locatorPort: port)
            let tone = scenario.path("tone.wav"), heard = scenario.path("heard.wav")
            try Self.wav(seconds: 2, tone: true).write(to: tone)
            let alice = try await scenario.startClient(
                "alice", locatorPort: port, options: ["--audio-in", "file:\(tone.path)", "--audio-out", "file:\(heard.path)"])
            try await Self.login(alice, as: "alice")

            try alice.send("/add echo")
            try await alice.waitForEvent("friend_added", ["id": "echo"])
            try await alice.run("/msg echo hi", expecting: "message", ["from": "echo", "text": "echo: hi"])

            try await alice.run("/call echo", expecting: "call_started", ["peer": "echo"], timeout: .seconds(40))
            try alice.send("/sleep 3")
            try alice.send("/hangup")
            try alice.send("/wait call_ended")
            alice.closeInput()
            #expect(try await alice.waitForExit(timeout: .seconds(30)) == 0, "\(alice.report())")
            let played = try Data(contentsOf: heard).dropFirst(44)
            let loud = stride(from: played.startIndex, to: played.endIndex - 1, by: 2).filter { index in
                abs(Int(Int16(bitPattern: UInt16(played[index]) | UInt16(played[index + 1]) << 8))) > 3000
            }
            #expect(loud.count > 48_000 / 2, "alice heard less than half a second of her tone back")
        }
    }

    /// A 48 kHz mono 16-bit WAV file of silence, or of a 440 Hz tone.
    static func wav(seconds: Int, tone: Bool = false) -> Data {
        let dataBytes = 48_000 * 2 * seconds
        var data = Data()
        func append(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { data.append(contentsOf: $0) } }
        append("RIFF")
        append32(36 + dataBytes)
        append("WAVEfmt ")
        append32(16)
        for field in [1, 1] { append16(field) }  // PCM, mono
        append32(48_000)
        append32(96_000)  // bytes per second
        for field in [2, 16] { append16(field) }  // bytes per frame, bits per sample
        append("data")
        append32(dataBytes)
        for sample in 0..<dataBytes / 2 {
            let value = tone ? Int16(10_000 * sin(2 * Double.pi * 440 * Double(sample) / 48_000)) : 0
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }
}
