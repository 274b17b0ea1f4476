import Foundation
import Locator
import NIOCore
import Testing
import TestSupport

/// Binding, restarting and stopping, as the engine's tests and an operator see them.
@Suite("LocatorServer: lifecycle", .timeLimit(.minutes(1)))
struct LocatorServerLifecycleTests {
    @Test("binding port 0 reports the port actually bound, on the address asked for")
    func reportsBoundAddress() async throws {
        try await withTestLocator { locator throws in
            #expect(locator.server.localAddress.ipAddress == "127.0.0.1")
            #expect(locator.port > 0)
            #expect(try await LegacyCourseClient.ask("q2017011000", port: locator.port) == "n")
        }
    }

    @Test("shutdown closes every connection, also one that has not sent its first byte yet")
    func shutdownClosesEveryConnection() async throws {
        let directory = try TemporaryDirectory(prefix: "p2pchat-locator-shutdown")
        defer { directory.remove() }
        let locator = try await TestLocator.start(in: directory.url) { $0.firstByteTimeout = .seconds(30) }
        let talking = try await LegacyCourseClient.connect(port: locator.port, receiveTimeout: .seconds(3))
        defer { talking.close() }
        let silent = try await LegacyCourseClient.connect(port: locator.port, receiveTimeout: .seconds(3))
        defer { silent.close() }
        #expect(try await talking.request("q2017011000") == "n")
        let modern = try await ModernLocatorClient.connect(to: locator)
        _ = try await modern.login("alice", password: "a")

        let stopping = Task { await locator.stop() }
        #expect(try await talking.readUntilClosed().isEmpty)
        #expect(try await modern.nextReplyLine() == nil)
        let silentClosed = (try? await silent.readUntilClosed()) != nil
        #expect(silentClosed, "a connection that had sent nothing was still open 3 s after shutdown")
        silent.close()
        await stopping.value
        // The port is free for the next server (the engine's tests restart a locator on the same port).
        let again = try await TestLocator.start(in: directory.url) { $0.port = locator.port }
        #expect(try await LegacyCourseClient.ask("q2017011000", port: again.port) == "n")
        await again.stop()
    }
}
