import Testing

/// The built `p2pchat` program, run as users run it: a locator and clients as child processes that
/// talk over 127.0.0.1, scripted through standard input with `--json` output, or typed into a tmux
/// pane. The tests run one at a time: each starts several programs, and two cores are shared.
@Suite("p2pchat end to end", .serialized, .timeLimit(.minutes(2)))
struct EndToEndTests {
    /// Logs `client` in as `user`, with the scenario's password.
    static func login(_ client: ChildProcess, as user: String) async throws {
        try await client.run("/login \(user)", expecting: "logged_in", ["user": user], timeout: .seconds(30))
    }

    /// A locator, and alice and bob logged in as friends: where most tests start.
    static func friends(in scenario: Scenario) async throws -> (locator: ChildProcess, port: Int, alice: ChildProcess, bob: ChildProcess) {
        let (locator, port) = try await scenario.startLocator()
        let bob = try await scenario.startClient("bob", locatorPort: port)
        try await login(bob, as: "bob")
        let alice = try await scenario.startClient("alice", locatorPort: port)
        try await login(alice, as: "alice")
        try await befriend(alice, bob)
        return (locator, port, alice, bob)
    }

    /// Makes `alice` and `bob` (two logged-in scripted clients) friends, as two people would:
    /// alice asks, bob sees the request and accepts, both see the friendship.
    static func befriend(_ alice: ChildProcess, _ bob: ChildProcess, names: (String, String) = ("alice", "bob")) async throws {
        let (first, second) = names
        try await alice.run("/add \(second)", expecting: "info")
        try await bob.waitForEvent("friend_request", ["from": first])
        try bob.send("/accept \(first)")
        try await bob.waitForEvent("friend_added", ["id": first])
        try await alice.waitForEvent("friend_added", ["id": second])
    }
}
