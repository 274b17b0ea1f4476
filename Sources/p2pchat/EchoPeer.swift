import ChatEngine
import Foundation
import Logging

/// A user who is always there to try p2pchat with: accepts every friend request, sends every
/// message back prefixed `echo: `, answers every file with its size and SHA-256, and answers every
/// call with the caller's own audio.
final class EchoPeer: Sendable {
    let engine: ChatEngine
    private let serving: Task<Void, Never>

    private init(engine: ChatEngine, serving: Task<Void, Never>) {
        self.engine = engine
        self.serving = serving
    }

    /// Logs `user` in at the locator; its identity and password live in `dataDirectory`.
    static func start(
        user: String, dataDirectory: URL, locators: [LocatorAddress], listenHost: String, logger: Logger
    ) async throws -> EchoPeer {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        var configuration = EngineConfiguration(
            user: user, dataDirectory: dataDirectory, locators: locators, listenHost: listenHost)
        configuration.parts.calls.echoesCallAudio = true
        let engine = try ChatEngine(configuration: configuration, logger: logger)
        _ = try await engine.login(password: try password(in: dataDirectory))
        let serving = Task { [limit = configuration.parts.transfers.autoAcceptLimit] in await serve(engine, fileLimit: limit, logger: logger) }
        return EchoPeer(engine: engine, serving: serving)
    }

    /// Serves until the engine is closed.
    func run() async {
        await serving.value
    }

    func stop() async {
        await engine.close()
        await serving.value
    }

    /// Files up to `fileLimit` bytes come in by themselves (the engine's auto-accept); bigger offers are declined.
    private static func serve(_ engine: ChatEngine, fileLimit: Int64, logger: Logger) async {
        for await event in engine.events {
            do {
                switch event {
                case .friends(.request(let from, _)):
                    try await engine.acceptFriend(from)
                case .messaging(.message(let message)) where message.direction == .incoming:
                    _ = try await engine.send("echo: " + message.body, to: message.sender, action: message.isAction)
                case .transfers(.offer(let offer)) where offer.state == .offered:
                    try await engine.declineFile(offer.number)
                    _ = try await engine.send(
                        "echo: \(offer.name) is \(offer.size) bytes; I take files up to \(fileLimit) bytes", to: offer.peer)
                case .transfers(.received(let file)):
                    // Only the answer matters: keeping every file would fill the disk over time.
                    if let path = file.path { try? FileManager.default.removeItem(atPath: path) }
                    _ = try await engine.send(
                        "echo: received \(file.name), \(file.size) bytes, sha256 \(file.sha256 ?? "?")", to: file.peer)
                case .calls(.incoming(let from)):
                    try await engine.answerCall(from: from)
                default:
                    break
                }
            } catch {
                logger.notice("echo peer: \(error)")
            }
        }
    }

    /// The account's password: made once at random and kept (mode 0600) beside the identity.
    private static func password(in directory: URL) throws -> String {
        let file = directory.appendingPathComponent("password")
        if let saved = try? String(contentsOf: file, encoding: .utf8), !saved.isEmpty { return saved }
        var random = SystemRandomNumberGenerator()
        let password = (0..<4).map { _ in String(random.next() as UInt64, radix: 36) }.joined()
        FileManager.default.createFile(atPath: file.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        return password
    }
}
