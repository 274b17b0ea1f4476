import Foundation
import Testing

/// What the tests of friends behind NATs share (`natMatrix`, hole punching, the relay's capture):
/// a message each way, and the path `/query` names.
extension EndToEndTests {
    /// A message from `first` to `second` and one back, each delivered and seen.
    static func exchange(
        _ first: ChildProcess, _ firstName: String, _ second: ChildProcess, _ secondName: String, text: String
    ) async throws {
        let sent = try await first.run("/msg \(secondName) \(text)", expecting: "sent", ["to": secondName])
        #expect(sent["delivery"] == "delivered", "\(first.report())")
        try await second.waitForEvent("message", ["from": firstName, "text": text])
        let reply = try await second.run("/msg \(firstName) and back: \(text)", expecting: "sent", ["to": firstName])
        #expect(reply["delivery"] == "delivered", "\(second.report())")
        try await first.waitForEvent("message", ["from": secondName, "text": "and back: \(text)"])
    }

    /// The path `/query` shows for the open connection to `peer`, with a round trip.
    static func path(to peer: String, seenBy client: ChildProcess) async throws -> String? {
        let query = try await client.run("/query \(peer)", expecting: "query", ["id": peer])
        #expect(Int(query["rtt_ms"] ?? "") ?? 0 >= 1, "\(query)")
        return query["path"]
    }
}
