import ChatIdentity
import ChatWire
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What `systemctl stop` does to the services: SIGTERM, and the program must end on its own, cleanly.
extension EndToEndTests {
    @Test("SIGTERM stops the locator: clients hear BYE shutdown, the port closes, and the database file alone holds every account")
    func locatorStopsOnSIGTERM() async throws {
        try await Scenario.run { scenario in
            let (locator, port) = try await scenario.startLocator()
            let client = try await ModernLocatorClient.connect(port: port, pin: .trustOnFirstUse)
            #expect(try await client.login("alice", password: Scenario.password) == .ok(verb: "LOGIN", details: ["alice", "registered"]))

            locator.signal(SIGTERM)
            #expect(try await client.nextPush() == .bye(reason: "shutdown"))
            _ = try await client.waitUntilClosed()
            #expect(try await locator.waitForExit() == 0, "\(locator.report())")
            #expect(locator.output.lines.contains("p2pchat locator stopped"), "\(locator.report())")
            await #expect(throws: (any Error).self, "the port still accepts connections") {
                try await ModernLocatorClient.connect(port: port, pin: .acceptAny)
            }

            // An admin's backup copies the one file: it must know alice without the write-ahead log.
            let copy = scenario.path("copy")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: scenario.path("locator").appendingPathComponent("accounts.sqlite"),
                to: copy.appendingPathComponent("accounts.sqlite"))
            let (_, copyPort) = try await scenario.startLocator(dataDirectory: "copy")
            let again = try await ModernLocatorClient.connect(port: copyPort, pin: .trustOnFirstUse)
            #expect(try await again.login("alice", password: Scenario.password) == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await again.close()
        }
    }

    @Test("SIGTERM stops the echo user: it logs out, so the locator reports it offline at once, not after the grace period")
    func echoStopsOnSIGTERM() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            let echo = try await scenario.startEcho(locatorPort: port)
            let watcher = try await ModernLocatorClient.connect(port: port, pin: .trustOnFirstUse)
            _ = try await watcher.login("watcher", password: Scenario.password)
            let before = try await watcher.request(.query(user: "echo"))
            guard case .user("echo", .some) = before else {
                Issue.record("echo is not online before the stop: \(before)")
                return
            }

            echo.signal(SIGTERM)
            #expect(try await echo.waitForExit() == 0, "\(echo.report())")
            #expect(echo.output.lines.contains("p2pchat echo stopped"), "\(echo.report())")
            #expect(try await watcher.request(.query(user: "echo")) == .user("echo", nil))
            await watcher.close()
        }
    }
}
