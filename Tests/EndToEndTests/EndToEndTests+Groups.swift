import Foundation
import Testing

extension EndToEndTests {
    @Test("three scripted clients: a group made, grown, talked in and shrunk, told in --json events")
    func scriptedGroup() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            // Only alice is friends with the others: bob and carol reach each other through the group.
            let scripts: [String: [String]] = [
                "bob": [
                    "/login bob",
                    "/wait friend_request from=alice",
                    "/accept alice",
                    "/wait group_created group=#team",
                    "/wait group_member_joined member=carol",
                    "/msg #team hi from bob",
                    "/wait group_message from=carol",
                    "/wait group_member_left member=carol",
                    "/msg #team carol is out",
                ],
                "carol": [
                    "/login carol",
                    "/wait friend_request from=alice",
                    "/accept alice",
                    "/wait group_created group=#team",
                    "/wait group_message from=bob",
                    "/msg #team hi from carol",
                    "/wait group_member_left member=carol",
                ],
            ]
            var clients: [String: ChildProcess] = [:]
            for (user, lines) in scripts {
                let client = try await scenario.startClient(user, locatorPort: port)
                for line in lines { try client.send(line) }
                client.closeInput()
                try await client.waitForEvent("logged_in", ["user": user], timeout: .seconds(30))
                clients[user] = client
            }
            let alice = try await scenario.startClient("alice", locatorPort: port)
            for line in [
                "/login alice",
                "/add bob",
                "/wait friend_added id=bob",
                "/add carol",
                "/wait friend_added id=carol",
                "/group create team bob",
                "/group invite #team carol",
                "/wait group_message from=bob",
                "/wait group_message from=carol",
                "/group kick #team carol",
                #"/wait group_message from=bob text="carol is out""#,
                "/group info #team",
            ] {
                try alice.send(line)
            }
            alice.closeInput()
            let bob = try #require(clients["bob"]), carol = try #require(clients["carol"])
            #expect(try await alice.waitForExit(timeout: .seconds(90)) == 0, "\(alice.report())")
            #expect(try await bob.waitForExit(timeout: .seconds(60)) == 0, "\(bob.report())")
            #expect(try await carol.waitForExit(timeout: .seconds(60)) == 0, "\(carol.report())")

            let created = try #require(bob.events("group_created").first, "\(bob.report())")
            #expect(created["owner"] == "alice")
            // bob and carol are not friends, and still hear each other.
            let fromCarol = try #require(bob.events("group_message", ["from": "carol"]).first, "\(bob.report())")
            #expect(fromCarol["group"] == "#team")
            #expect(fromCarol["text"] == "hi from carol")
            #expect(carol.events("sent", ["to": "#team"]).first?["id"] == fromCarol["id"])
            let time = try #require(fromCarol["time"])
            #expect(ISO8601DateFormatter.withMilliseconds.date(from: time) != nil, "time \(time)")
            #expect(carol.events("group_message", ["from": "bob", "text": "hi from bob"]).count == 1, "\(carol.report())")
            #expect(alice.events("group_message").count == 3, "each text once: \(alice.report())")
            #expect(bob.events("group_updated", ["owner": "alice", "version": "3"]).count == 1, "\(bob.report())")
            #expect(carol.events("group_message", ["text": "carol is out"]).isEmpty, "carol is no longer in #team")
            #expect(alice.events("group_info", ["group": "#team", "owner": "alice"]).count == 1, "\(alice.report())")
            for client in [alice, bob, carol] {
                #expect(client.events("error").isEmpty, "\(client.report())")
            }
        }
    }
}
