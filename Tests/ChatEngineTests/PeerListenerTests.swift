import ChatEngine
import Foundation
import Testing

/// The descriptor of this process's TCP socket listening on `port`, found through /proc.
private func listeningDescriptor(port: Int) throws -> Int32? {
    let hexPort = String(format: "%04X", port)
    let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
    // Fields: sl local_address rem_address st ... inode (the tenth).
    let inode = table.split(separator: "\n").dropFirst().compactMap { line -> Substring? in
        let fields = line.split(separator: " ")
        guard fields.count > 9, fields[1].hasSuffix(":\(hexPort)"), fields[3] == "0A" else { return nil }
        return fields[9]
    }.first
    guard let inode else { return nil }
    for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
           target == "socket:[\(inode)]" {
            return Int32(entry)
        }
    }
    return nil
}

@Suite("Peer listener: a listener that stops is said, not silent")
struct PeerListenerTests {
    @Test("when the peer listener stops accepting, the user is told in one line")
    func listenerFailureIsAnEvent() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let port = try #require(await alice.engine.peerPort)
            let descriptor = try #require(try listeningDescriptor(port: port), "no listening socket on \(port)")
            // The kernel ends the listening socket under the node: accept fails from now on.
            #expect(shutdown(descriptor, Int32(SHUT_RDWR)) == 0)
            let error = await alice.events.first { if case .session(.error(let text)) = $0 { text.contains("peer listener stopped") } else { false } }
            #expect(error != nil)
            if case .session(.error(let text))? = error {
                #expect(text.hasPrefix("friends can no longer connect to you"))
                #expect(!text.contains("\n"))
            }
        }
    }
}

@Suite("Peer listener: a port another client listens on is refused")
struct PeerListenerPortTests {
    /// The listener shares its port with hole punching's sockets (`SO_REUSEPORT`); a second
    /// client given the same port must still fail to log in, not split the first one's callers.
    @Test("a second client told to listen on the first one's port cannot log in")
    func portInUseIsRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let port = try #require(await alice.engine.peerPort)
            let bob = try await network.user("bob", login: false) { $0.listenPort = port }
            await #expect(throws: (any Error).self) { try await bob.login() }
            #expect(await bob.engine.peerPort == nil)
        }
    }
}
