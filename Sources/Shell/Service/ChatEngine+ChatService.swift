import ChatEngine
import Foundation
import Logging

extension ChatEngine: ChatService {
    public func logIn(password: String) async throws {
        _ = try await login(password: password)
    }

    /// The factory the shell uses outside tests: an engine per user, under the options' data root.
    static func factory(options: ShellOptions, logger: Logger) -> ChatServiceFactory {
        { user in
            var configuration = EngineConfiguration(
                user: user, dataDirectory: options.dataRoot.appendingPathComponent(user),
                locators: options.locators, locatorMode: options.locatorMode,
                listenHost: options.listenHost, listenPort: options.listenPort)
            configuration.makesNewIdentity = options.makesNewIdentity
            configuration.parts = options.parts
            return try ChatEngine(configuration: configuration, logger: logger)
        }
    }
}
