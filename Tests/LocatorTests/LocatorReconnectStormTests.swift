import ChatWire
import Foundation
import Locator
import NIOCore
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The clients of a replica that died all arrive at another at once.
@Suite(
    "LocatorServer: reconnect storm", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorReconnectStormTests {
    static let key = String(repeating: "c3", count: 32)

    /// How many times the storm's clients tried again, from all their tasks.
    final class Counter: Sendable {
        let value = Atomic(0)
    }

    /// As many clients as the open-file limit holds beside their server ends, up to 2,000.
    static func stormSize() -> Int {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        return min(2000, (Int(limit.rlim_cur) - 400) / 2)
    }

    @Test("2,000 existing users log in again at once, from one address behind a NAT: every one is logged in and online, none told ERR server")
    func storm() async throws {
        try await withTestPostgres { postgres in
            let directory = try TemporaryDirectory(prefix: "p2pchat-storm")
            defer { directory.remove() }
            let hasher = PasswordHasher(costExponent: 10)
            let locator = try await TestLocator.start(in: directory.url) {
                $0.postgres = postgres.settings()
                $0.passwordHashing = hasher
                // One NAT address: its operator lets it hold the whole storm.
                $0.maxConnectionsPerAddress = 4096
                // 2,000 TLS handshakes queue behind each other on two cores (a debug build, other
                // tests beside): the handshake deadline is not what this test is about.
                $0.firstByteTimeout = .seconds(120)
            }
            do {
                let count = Self.stormSize()
                #expect(count >= 1000, "the open-file limit leaves room for \(count) clients only")
                // The accounts exist already, as for the clients of a replica that died.
                let hash = try hasher.hash("pw")
                try postgres.psql("INSERT INTO account (name, password_hash) SELECT 'storm' || i, '\(hash)' FROM generate_series(1, \(count)) i")

                let retries = Counter()
                let serverErrors = Counter()
                let started = ContinuousClock.now
                let clients = try await withThrowingTaskGroup(of: (Int, ModernLocatorClient, LocatorReply, LocatorReply).self) { group in
                    for index in 1...count {
                        group.addTask {
                            // The storm is bounded, not timed: each step may wait behind all the others.
                            // The connect too: the kernel accepts at once, but this process, making
                            // 2,000 TLS handshakes on its two event loops beside other builds, may
                            // learn of it later than NIO's default 10 s (a CI run beside four others did).
                            let client = try await ModernLocatorClient.connect(to: locator, from: "127.0.0.2", connectTimeout: .seconds(120))
                            // As a client does, one told `ERR busy` (too many waiting to be hashed) tries
                            // again after a jittered second; `ERR server` (the database did not answer)
                            // too, but it is counted: a database that answers all along must not cause one.
                            var login = try await client.request(.login(user: "storm\(index)", password: "pw"), timeout: .seconds(120))
                            var tries = 1
                            while case .error(let error) = login, [.server, .busy].contains(error.code), tries < 20 {
                                if error.code == .server { serverErrors.value.add(1, ordering: .relaxed) }
                                try await Task.sleep(for: .milliseconds(Int.random(in: 500..<1500)))
                                retries.value.add(1, ordering: .relaxed)
                                login = try await client.request(.login(user: "storm\(index)", password: "pw"), timeout: .seconds(120))
                                tries += 1
                            }
                            let advertise = try await client.request(
                                .advertise(port: 20000 + index, fingerprint: Self.key), timeout: .seconds(120))
                            return (index, client, login, advertise)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let took = ContinuousClock.now - started
                let refused = clients.filter { $0.2 != .ok(verb: "LOGIN", details: ["storm\($0.0)", "welcome"]) }
                #expect(refused.isEmpty, "\(refused.count) of \(count) not logged in, e.g. \(refused.first.map { "\($0.2)" } ?? "")")
                #expect(clients.allSatisfy { $0.3 == .ok(verb: "ADVERTISE", details: []) })

                // Everyone is online where the locator says.
                let asker = try await ModernLocatorClient.connect(to: locator)
                _ = try await asker.login("asker", password: "pw")
                var online = 0
                for index in 1...count {
                    let reply = try await asker.request(.query(user: "storm\(index)"))
                    if reply == .user("storm\(index)", PeerAddress(host: "127.0.0.2", port: 20000 + index, fingerprint: Self.key)) {
                        online += 1
                    }
                }
                #expect(online == count)
                let serverErrorCount = serverErrors.value.load(ordering: .relaxed)
                #expect(serverErrorCount == 0, "logins queued behind the storm were told ERR server \(serverErrorCount) times")
                print("reconnect storm: \(count) clients logged in again in \(took), \(retries.value.load(ordering: .relaxed)) retries, \(serverErrorCount) of them after ERR server")
                await asker.close()
                for (_, client, _, _) in clients { await client.close() }
            } catch {
                await locator.stop()
                throw error
            }
            await locator.stop()
        }
    }
}
