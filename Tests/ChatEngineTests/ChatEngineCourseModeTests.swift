import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import NIOCore
import NIOPosix
import Testing
import TestSupport

/// Two engines on the course server's plain-text protocol, as in the original system: a course
/// id's peer port is its last five digits, and certificates are pinned on first contact because
/// that locator publishes no fingerprints.
@Suite("ChatEngine: course protocol")
struct ChatEngineCourseModeTests {
    @Test("course ids befriend each other and talk, with their peer ports taken from the ids")
    func courseModeConversation() async throws {
        try await TestNetwork.run { network in
            let (aliceID, bobID) = (try await Self.courseID(), try await Self.courseID())
            let course: (inout EngineConfiguration) -> Void = { $0.locatorMode = .course }
            let alice = try await network.user(aliceID, login: false, configure: course)
            let bob = try await network.user(bobID, login: false, configure: course)
            try await alice.engine.login(password: "net2019")
            try await bob.engine.login(password: "net2019")
            #expect(await alice.engine.peerPort == Int(aliceID.suffix(5)))

            let address = try #require(try await alice.engine.query(bobID))
            #expect(address.host == "127.0.0.1")
            #expect(address.port == Int(bobID.suffix(5)))
            #expect(address.fingerprint == nil)

            try await befriend(alice, bob)
            let bobsView = try await bob.engine.friends()
            #expect(bobsView.map(\.id) == [aliceID])
            #expect(bobsView.first?.fingerprint == alice.engine.fingerprint.hex)

            let sent = try await alice.engine.send("over the course protocol", to: bobID)
            #expect(sent.delivery == .delivered)
            #expect(try await bob.bodies(with: aliceID) == ["over the course protocol"])
        }
    }

    /// A ten-digit course id whose last five digits are a port that is free right now.
    static func courseID() async throws -> String {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        try #require((10000...65535).contains(port), "the system picked port \(port), which is not five digits")
        return "20170" + String(port)
    }
}
