import Foundation
import Locator
import Logging
import NIOCore

/// What the engine benchmarks stand on: a scratch directory of their own and a locator in this
/// process on a free loopback port. `stop()` shuts the locator down and removes the directory.
struct BenchLocator {
    let scratch: URL
    let server: LocatorServer
    private let serving: Task<Void, any Error>

    var port: Int { server.localAddress.port ?? 0 }

    static func start(logger: Logger) async throws -> BenchLocator {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let server = try await LocatorServer.bind(
            configuration: LocatorConfiguration(host: "127.0.0.1", port: 0, directory: scratch.appendingPathComponent("locator")),
            logger: logger)
        return BenchLocator(scratch: scratch, server: server, serving: Task { try await server.run() })
    }

    func stop() async {
        serving.cancel()
        await server.shutdown()
        try? FileManager.default.removeItem(at: scratch)
    }
}
