import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "two hosts: the locator publishes the address it sees, and peers reach each other across the link",
        .enabled(if: TwoHosts.available, "needs root and iproute2 to make network namespaces")
    )
    func twoHosts() async throws {
        try await Scenario.run { scenario in
            let hosts = try await TwoHosts.make(in: scenario)
            let locator = try await hosts.start(
                "locator", on: hosts.first,
                ["locator", "--listen", "\(TwoHosts.firstAddress):0", "--data-dir", scenario.path("locator").path],
                in: scenario)
            let prefix = "p2pchat locator listening on \(TwoHosts.firstAddress):"
            let line = try await locator.waitForLine(timeout: .seconds(30), "its address") { $0.hasPrefix(prefix) }
            let port = try #require(Int(line.dropFirst(prefix.count)))
            let target = "\(TwoHosts.firstAddress):\(port)"

            // Alice on the locator's host, bob on the other; both listen on every address of their host.
            func client(_ user: String, on host: String) async throws -> ChildProcess {
                try await hosts.start(
                    user, on: host, ["--locator", target, "--data-dir", scenario.path(user).path, "--json"], in: scenario)
            }
            let alice = try await client("alice", on: hosts.first)
            let bob = try await client("bob", on: hosts.second)
            try await Self.login(alice, as: "alice")
            try await Self.login(bob, as: "bob")

            let aliceSeen = try await bob.run("/query alice", expecting: "query", ["id": "alice"])
            #expect(aliceSeen["address"] == TwoHosts.firstAddress, "\(aliceSeen)")
            let bobSeen = try await alice.run("/query bob", expecting: "query", ["id": "bob"])
            #expect(bobSeen["address"] == TwoHosts.secondAddress, "\(bobSeen)")

            try await Self.befriend(alice, bob)
            let sent = try await bob.run("/msg alice from the other host", expecting: "sent", ["to": "alice"])
            #expect(sent["delivery"] == "delivered", "\(bob.report())")
            try await alice.waitForEvent("message", ["from": "bob", "text": "from the other host"])
            let reply = try await alice.run("/msg bob and back", expecting: "sent", ["to": "bob"])
            #expect(reply["delivery"] == "delivered", "\(alice.report())")
            try await bob.waitForEvent("message", ["from": "alice", "text": "and back"])

            // The course protocol answers a query with the bare address it saw the login come from.
            let socat = URL(fileURLWithPath: "/usr/bin/socat")
            if FileManager.default.isExecutableFile(atPath: socat.path) {
                #expect(try await Self.course("2017011000_net2019", from: hosts.second, to: target, hosts, scenario) == "lol")
                #expect(try await Self.course("q2017011000", from: hosts.first, to: target, hosts, scenario) == TwoHosts.secondAddress)
                #expect(try await Self.course("logout2017011000", from: hosts.second, to: target, hosts, scenario) == "loo")
            }
        }
    }

    /// One course-protocol request from `host`, as a course client sends it (no newline); the reply.
    private static func course(
        _ request: String, from host: String, to target: String, _ hosts: TwoHosts, _ scenario: Scenario
    ) async throws -> String {
        let client = try await hosts.start(
            "socat \(request.prefix(8))", on: host, ["-t", "2", "-", "TCP:\(target)"],
            executable: URL(fileURLWithPath: "/usr/bin/socat"), in: scenario)
        try client.sendRaw(request)
        client.closeInput()
        let status = try await client.waitForExit(timeout: .seconds(10))
        guard status == 0 else { throw EndToEndError("socat exited with \(status): \(client.errors.tail(5))") }
        // The reply has no newline: it is complete once the output has ended.
        _ = await poll(timeout: .seconds(5)) { client.output.isFinished ? true : nil }
        return client.output.lines.joined(separator: "\n")
    }
}
