import ChatIdentity
import Foundation
import Locator
import Logging
import NIOCore

/// A locator running in this process on 127.0.0.1, on a port the system picked, with its database
/// and identity in a directory of the test's.
///
/// The defaults suit tests: a cheap scrypt cost, a 300 ms presence grace, short timeouts. Logs are
/// discarded unless `P2PCHAT_TEST_LOG` is set (then they go to stderr).
public final class TestLocator: Sendable {
    public let server: LocatorServer
    public let configuration: LocatorConfiguration
    private let running: Task<Void, any Error>

    /// The port the server actually bound.
    public var port: Int { server.localAddress.port ?? 0 }
    /// What a modern client pins.
    public var fingerprint: Fingerprint { server.fingerprint }

    private init(server: LocatorServer, configuration: LocatorConfiguration) {
        self.server = server
        self.configuration = configuration
        self.running = Task { try await server.run() }
    }

    /// The configuration tests start from, keeping everything inside `directory`.
    public static func configuration(in directory: URL) -> LocatorConfiguration {
        LocatorConfiguration(
            host: "127.0.0.1",
            port: 0,
            databasePath: directory.appendingPathComponent("accounts.sqlite").path,
            identityPath: directory.appendingPathComponent("locator.identity"),
            idleTimeout: .seconds(60),
            firstByteTimeout: .seconds(5),
            presenceGrace: .milliseconds(300),
            passwordHashing: PasswordHasher(costExponent: 10)
        )
    }

    /// Binds and starts serving a locator whose files live in `directory`; `configure` adjusts the test defaults.
    public static func start(
        in directory: URL, configure: (inout LocatorConfiguration) -> Void = { _ in }
    ) async throws -> TestLocator {
        var configuration = Self.configuration(in: directory)
        configure(&configuration)
        let server = try await LocatorServer.bind(configuration: configuration, logger: Self.logger)
        return TestLocator(server: server, configuration: configuration)
    }

    /// Stops the server and waits until it has stopped serving.
    public func stop() async {
        await server.shutdown()
        _ = try? await running.value
    }

    public static var logger: Logger {
        if ProcessInfo.processInfo.environment["P2PCHAT_TEST_LOG"] != nil {
            var logger = Logger(label: "test-locator", factory: { StreamLogHandler.standardError(label: $0) })
            logger.logLevel = .debug
            return logger
        }
        return Logger(label: "test-locator", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}

/// Runs `body` against a fresh locator in a fresh temporary directory; stops it and removes the directory after.
public func withTestLocator<Result: Sendable>(
    configure: (inout LocatorConfiguration) -> Void = { _ in },
    _ body: (TestLocator) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory(prefix: "p2pchat-locator-test")
    defer { directory.remove() }
    let locator = try await TestLocator.start(in: directory.url, configure: configure)
    do {
        let result = try await body(locator)
        await locator.stop()
        return result
    } catch {
        await locator.stop()
        throw error
    }
}
