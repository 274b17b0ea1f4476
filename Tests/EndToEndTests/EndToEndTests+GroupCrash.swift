import Foundation
import Testing

extension EndToEndTests {
    @Test("dave offline while three members send 20 group texts, then every member killed -9 and restarted: dave has all 20, once, in each sender's order")
    func groupSurvivesKillNine() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            var clients: [String: ChildProcess] = [:]
            for user in ["alice", "bob", "carol", "dave"] {
                let client = try await scenario.startClient(user, locatorPort: port)
                try await Self.login(client, as: user)
                clients[user] = client
            }
            func client(_ user: String) throws -> ChildProcess { try #require(clients[user]) }
            for user in ["bob", "carol", "dave"] {
                try await Self.befriend(try client("alice"), try client(user), names: ("alice", user))
            }
            try await client("alice").run("/group create team bob carol dave", expecting: "group_created", ["group": "#team"])
            for user in ["bob", "carol", "dave"] {
                try await client(user).waitForEvent("group_created", ["group": "#team"], timeout: .seconds(30))
            }
            try client("dave").signal(SIGKILL)
            _ = try await client("dave").waitForExit()

            var sent: [String: [String]] = [:]
            for index in 0..<20 {
                let sender = ["alice", "bob", "carol"][index % 3]
                let text = "\(sender) \(index)"
                try await client(sender).run("/msg #team \(text)", expecting: "sent", ["to": "#team"])
                sent[sender, default: []].append(text)
            }

            let daveBack = try await scenario.startClient("dave", locatorPort: port)
            try await Self.login(daveBack, as: "dave")
            clients["dave"] = daveBack
            // Every member dies at some random moment while the backlog flows, and comes back.
            for user in ["alice", "bob", "carol", "dave"].shuffled() {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
                try client(user).signal(SIGKILL)
                _ = try await client(user).waitForExit()
                let again = try await scenario.startClient(user, locatorPort: port)
                try await Self.login(again, as: user)
                clients[user] = again
            }

            var texts: [String] = []
            let deadline = ContinuousClock.now + .seconds(60)
            repeat {
                let history = try await client("dave").run("/history #team 100", expecting: "history", ["with": "#team"])
                texts = (history.fields["messages"]?.array ?? []).compactMap { $0["text"]?.text }
                if texts.count >= 20 { break }
                try await Task.sleep(for: .milliseconds(500))
            } while ContinuousClock.now < deadline
            #expect(texts.count == 20, "each text once: \(texts)")
            #expect(Set(texts) == Set(sent.values.joined()))
            for sender in ["alice", "bob", "carol"] {
                #expect(texts.filter { $0.hasPrefix(sender + " ") } == sent[sender], "\(sender)'s order")
            }
        }
    }
}
