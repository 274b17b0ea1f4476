import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
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
            let (aliceID, bobID) = (try await freeCourseID(), try await freeCourseID())
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
}
