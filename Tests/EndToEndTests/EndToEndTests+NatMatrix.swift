import Foundation
import Testing
import TestSupport

/// Every kind of pair in the namespaces' small internet (`NatInternet`): two public hosts, a public
/// host and a home behind a cone or a symmetric NAT, two cone homes, a cone and a symmetric home,
/// two symmetric homes, two hosts on one LAN. For each: a friend request, a message both ways, a
/// 50 MB file with its hash checked, and a 5 s call of speech; both sides must name the same path
/// for the connection and for the call, and where the path is fixed by the NATs it must be it.
extension EndToEndTests {
    /// One pair: who asks, who is asked, from which homes, and the paths the NATs leave them.
    struct NatPair: Sendable, CustomTestStringConvertible {
        var first: (name: String, home: NatHome)
        var second: (name: String, home: NatHome)
        /// The connection's path once it has settled (`punched` comes after `relayed`).
        var connection: String
        /// The call's media path: `punched` wherever a NAT is on either side and a hole opens.
        var call: String

        var testDescription: String { "\(first.home.rawValue)↔\(second.home.rawValue)" }
    }

    static let natPairs: [NatPair] = [
        NatPair(first: ("erin", .open), second: ("frank", .openB), connection: "direct", call: "direct"),
        NatPair(first: ("alice", .coneA), second: ("erin", .open), connection: "direct", call: "punched"),
        NatPair(first: ("carol", .symA), second: ("erin", .open), connection: "direct", call: "punched"),
        NatPair(first: ("alice", .coneA), second: ("gina", .coneC), connection: "punched", call: "punched"),
        NatPair(first: ("alice", .coneA), second: ("carol", .symA), connection: "relayed", call: "relayed"),
        NatPair(first: ("carol", .symA), second: ("dave", .symB), connection: "relayed", call: "relayed"),
        NatPair(first: ("alice", .coneA), second: ("bob", .coneB), connection: "lan", call: "lan"),
    ]

    @Test("every pair of public, cone NAT, symmetric NAT and one LAN: friend request, messages, a 50 MB file and a call, on the path expected",
          natCallsPossible, arguments: natPairs)
    func natMatrix(_ pair: NatPair) async throws {
        try await NatInternet.run { net, locator, scenario in
            let fixture = try SpeechFixture.make()
            let silence = scenario.path("silence.wav")
            try Self.wav(seconds: 6).write(to: silence)
            let heard = scenario.path("\(pair.second.name)-heard.wav")
            let first = try await net.client(
                pair.first.name, in: pair.first.home.namespace(in: net), locator: locator,
                options: ["--audio-in", "file:\(fixture.wavPath)", "--audio-out", "file:\(scenario.path("\(pair.first.name)-heard.wav").path)"],
                scenario: scenario)
            let second = try await net.client(
                pair.second.name, in: pair.second.home.namespace(in: net), locator: locator,
                options: ["--audio-in", "file:\(silence.path)", "--audio-out", "file:\(heard.path)"], scenario: scenario)

            try await Self.befriend(first, second, names: (pair.first.name, pair.second.name))
            try await Self.exchange(first, pair.first.name, second, pair.second.name, text: "from \(pair.testDescription)")
            if pair.connection == "punched" {
                try await first.waitForEvent("path_changed", ["id": pair.second.name, "path": "punched"], timeout: .seconds(60))
            }
            let paths = (try await Self.path(to: pair.second.name, seenBy: first), try await Self.path(to: pair.first.name, seenBy: second))
            print("\(pair.testDescription): connection \(paths.0 ?? "?") / \(paths.1 ?? "?")")
            #expect(paths.0 == pair.connection, "\(first.report())")
            #expect(paths.1 == pair.connection, "\(second.report())")

            try await Self.sendFile(megabytes: 50, from: (first, pair.first.name), to: (second, pair.second.name), scenario: scenario)

            let callPath = try await Self.call(from: (first, pair.first.name), to: (second, pair.second.name), speech: fixture, heard: heard)
            print("\(pair.testDescription): call \(callPath)")
            #expect(callPath == pair.call)
        }
    }

    /// `sender` sends a file of `megabytes` of random bytes to `receiver`; both must name the
    /// same SHA-256 as the source's, and the received copy must have it.
    private static func sendFile(
        megabytes: Int, from sender: (client: ChildProcess, name: String), to receiver: (client: ChildProcess, name: String),
        scenario: Scenario
    ) async throws {
        let source = scenario.path("outbox/\(megabytes)MB.bin")
        try makeFile(source, megabytes: megabytes)
        let start = sender.client.mark()
        try sender.client.send("/file \(receiver.name) \(source.path)")
        let name = source.lastPathComponent
        let sent = try await sender.client.waitForEvent(
            "file_sent", ["peer": receiver.name, "name": name], after: start, timeout: .seconds(300))
        let received = try await receiver.client.waitForEvent("file_received", ["peer": sender.name, "name": name], timeout: .seconds(60))
        let expected = try sha256(source.path)
        #expect(sent["sha256"] == expected)
        #expect(received["sha256"] == expected)
        #expect(try sha256(try #require(received["path"])) == expected)
    }
}
