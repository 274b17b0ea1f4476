import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Locator
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import TestSupport

/// ChatEngine has an internal `Fingerprint` of its own; this names the identity one unambiguously.

/// Helpers for `LocatorClientTests`: a real locator on 127.0.0.1, clients with fast clocks, and
/// a recorder for `updates`.
enum LocatorClientTestSupport {
    /// Quiet unless `P2PCHAT_TEST_LOG` is set, so a failing run can be replayed with the logs.
    static let logger: Logger = {
        guard ProcessInfo.processInfo.environment["P2PCHAT_TEST_LOG"] != nil else {
            return Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        }
        var logger = Logger(label: "test") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .debug
        return logger
    }()

    /// Short enough for tests to see reconnects and polls within a second or two.
    static let fastTiming = LocatorClient.Timing(
        pingInterval: .seconds(1), replyTimeout: .seconds(3), connectTimeout: .seconds(2),
        reconnectSpread: .milliseconds(100), initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(400),
        pollInterval: .milliseconds(150), logoutTimeout: .seconds(1))

    /// A made-up identity fingerprint to advertise: `byte` (two hex digits) 32 times.
    static func fingerprint(_ byte: String) throws -> Fingerprint {
        let fingerprint = Fingerprint(hex: String(repeating: byte, count: 32))
        return try #require(fingerprint)
    }

    static func client(
        _ user: String, password: String = "correct horse", mode: LocatorClient.Mode = .modern,
        locator: TestLocator, knownLocators: URL
    ) -> any LocatorClient {
        mode.makeClient(
            host: "127.0.0.1", port: locator.port, user: user, password: password,
            knownLocatorsFile: knownLocators, logger: logger, timing: fastTiming)
    }
}

/// Collects a client's `updates` so a test can wait for the next one it expects.
final class UpdateRecorder: Sendable {
    private struct State {
        var updates: [LocatorClient.Update] = []
        /// Updates before this index have been matched by `next` already.
        var cursor = 0
    }

    private let state = Mutex(State())

    init(_ updates: AsyncStream<LocatorClient.Update>) {
        Task { [recorder = self] in
            for await update in updates {
                recorder.state.withLock { $0.updates.append(update) }
            }
        }
    }

    var all: [LocatorClient.Update] {
        state.withLock { $0.updates }
    }

    /// The first unmatched update satisfying `predicate`; updates before it are skipped.
    /// Fails the test after `timeout`.
    @discardableResult
    func next(
        _ what: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
        where predicate: (LocatorClient.Update) -> Bool
    ) async throws -> LocatorClient.Update {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found: LocatorClient.Update? = state.withLock { state in
                guard let index = state.updates[state.cursor...].firstIndex(where: predicate) else { return nil }
                state.cursor = index + 1
                return state.updates[index]
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no update '\(what)' within \(timeout); saw \(all)", sourceLocation: sourceLocation)
        throw UpdateTimeout(what: what)
    }

    /// Waits for exactly `update` (after skipping others).
    @discardableResult
    func next(
        _ update: LocatorClient.Update, timeout: Duration = .seconds(10),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> LocatorClient.Update {
        try await next("\(update)", timeout: timeout, sourceLocation: sourceLocation) { $0 == update }
    }
}

/// Thrown by `UpdateRecorder.next` once it has recorded the issue, to end the test.
struct UpdateTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "gave up waiting for '\(what)'" }
}

extension LocatorClient.Update {
    var isDisconnected: Bool {
        if case .disconnected = self { true } else { false }
    }

    var failure: String? {
        if case .failed(let reason) = self { reason } else { nil }
    }

    func isPresence(of user: String, online: Bool) -> Bool {
        guard case .presence(let who, let address) = self, who == user else { return false }
        return (address != nil) == online
    }
}

/// A fake modern locator that answers each line with whatever `script` says, for the cases a
/// real one never produces (garbage).
struct ScriptedLocator: Sendable {
    let port: Int
    let fingerprint: Fingerprint
    private let task: Task<Void, any Error>

    typealias Connection = NIOAsyncChannel<String, String>

    /// `script(connectionNumber, line)` gives the lines to send back (connections count from 1).
    static func start(script: @escaping @Sendable (Int, String) -> [String]) async throws -> ScriptedLocator {
        let identity = try Identity.generate(commonName: "scripted locator")
        let context = try identity.makeServerContext(clientAuthentication: .none)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addPinnedTLSServerHandlers(context: context)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(LineEncoder()))
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(server.channel.localAddress?.port)
        let task = Task {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    var count = 0
                    for try await connection in inbound {
                        count += 1
                        let number = count
                        group.addTask {
                            try? await connection.executeThenClose { lines, outbound in
                                for try await line in lines {
                                    for reply in script(number, line) { try await outbound.write(reply) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return ScriptedLocator(port: port, fingerprint: identity.fingerprint, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
