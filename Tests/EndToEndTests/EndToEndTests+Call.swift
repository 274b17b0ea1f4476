import Foundation
import Testing

extension EndToEndTests {
    @Test("a scripted call: /call returns once answered, /call shows the figures, /hangup ends it on both sides")
    func scriptedCall() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            func client(_ user: String) async throws -> ChildProcess {
                let silence = scenario.path("\(user)-silence.wav")
                try Self.silentWAV(seconds: 2).write(to: silence)
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
            let heard = try Data(contentsOf: scenario.path("bob-heard.wav"))
            #expect(heard.count > 44 + 48_000 / 10, "bob's speaker file holds less than 50 ms")
        }
    }

    /// A 48 kHz mono 16-bit WAV file of silence.
    static func silentWAV(seconds: Int) -> Data {
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
        data.append(Data(count: dataBytes))
        return data
    }
}
