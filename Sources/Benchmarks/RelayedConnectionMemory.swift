import Foundation
import NatTopology

/// The memory a client spends on each relayed connection: a client behind a symmetric NAT
/// (`symA`) befriends `count` + 1 clients behind the other (`symB`), so that every connection
/// goes through coturn, and its resident memory is read with one connection (the first pages in
/// the code every connection runs) and with all of them.
struct RelayedConnectionMemory {
    let count: Int

    struct Result {
        var loggedIn: Int64
        var withOne: Int64
        var withAll: Int64
        /// How many of the `count` + 1 connections `/query` shows as relayed.
        var relayed: Int
        var perConnection: Double
    }

    func run(in lab: PathsLab) async throws -> Result {
        let hub = try lab.client("hub", in: lab.topology.symA, autoAccept: 0)
        try await PathPair.login(hub, as: "hub")
        let names = (0...count).map { "peer\($0)" }
        var friends: [BenchClient] = []
        defer {
            for friend in friends { friend.quit() }
            hub.quit()
        }
        for name in names {
            let friend = try lab.client(name, in: lab.topology.symB, autoAccept: 0)
            friends.append(friend)
            try await PathPair.login(friend, as: name)
        }
        let loggedIn = await Self.settled(hub)
        try await connect(hub, to: friends[0], names[0])
        let withOne = await Self.settled(hub)
        for (friend, name) in zip(friends, names).dropFirst() { try await connect(hub, to: friend, name) }
        let withAll = await Self.settled(hub)
        var relayed = 0
        for name in names {
            let mark = hub.mark
            hub.send("/query \(name)")
            let query = try await hub.wait(for: "query", ["id": name], after: mark, timeout: .seconds(30))
            if query.fields["path"] as? String == "relayed" { relayed += 1 }
        }
        return Result(
            loggedIn: loggedIn, withOne: withOne, withAll: withAll, relayed: relayed, perConnection: Double(withAll - withOne) / Double(count))
    }

    /// `friend` asks `hub` to be friends and sends it a message, which opens their connection.
    private func connect(_ hub: BenchClient, to friend: BenchClient, _ name: String) async throws {
        try await PathPair.befriend(friend, name, hub, "hub")
        try await PathPair.message(from: friend, to: "hub", "hello hub")
    }

    /// The client's resident memory once a connection's start-up is over (a second's pause: its
    /// path checks and first pings go out at once).
    private static func settled(_ client: BenchClient) async -> Int64 {
        try? await Task.sleep(for: .seconds(1))
        return client.residentBytes
    }
}
