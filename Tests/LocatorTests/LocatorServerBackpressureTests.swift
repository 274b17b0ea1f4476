import ChatIdentity
import ChatWire
import Foundation
import NIOCore
import Testing
import TestSupport

/// A client that sends requests and never reads the replies: the locator stops reading it once its
/// replies pile up, so its memory stays bounded, other clients are served, and the connection is
/// closed after the idle timeout. Run against the built locator, whose memory the test can watch.
@Suite("LocatorServer: a client that never reads", .serialized, .timeLimit(.minutes(3)))
struct LocatorServerBackpressureTests {
    static let alice = "2017011000"
    /// What a flood may send at most; without backpressure the locator reads all of it and queues the replies.
    static let floodLimit = 128 << 20
    /// How much the locator's memory may grow while a client does not read.
    static let allowedGrowth = 48 << 20
    static let courseFlood = Array(String(repeating: "q\(alice)\n", count: 680).utf8)
    static let pingFlood = ByteBuffer(string: String(repeating: "PING\n", count: 1600))

    @Test("course queries: the flooder is no longer read, memory stays bounded, and an honest client is answered meanwhile")
    func courseQueryFlood() async throws {
        try await withLocator { locator in
            #expect(try await LegacyCourseClient.ask("\(Self.alice)_net2019", port: locator.port) == "lol")
            let before = locator.residentBytes
            let flooder = try NonReadingClient.connect(port: locator.port, from: "127.0.0.2")
            async let flooding = flooder.flood(Self.courseFlood, limit: Self.floodLimit)
            let honest = try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port, from: "127.0.0.3")
            let flood = try await flooding
            let growth = locator.residentBytes - before

            #expect(honest == "127.0.0.1", "an honest query during the flood was not answered")
            #expect(flood.sent > 1 << 20, "the flood never got going: \(flood.sent) bytes went in")
            #expect(flood.stalled, "the locator kept reading: \(flood.sent >> 20) MiB of requests went in")
            #expect(growth < Self.allowedGrowth, "the locator grew by \(growth >> 20) MiB")
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port, from: "127.0.0.3") == "127.0.0.1")
        }
    }

    @Test("TLS PING: the flooder is no longer read, memory stays bounded, and an honest client is answered meanwhile")
    func tlsPingFlood() async throws {
        try await withLocator { locator in
            let before = locator.residentBytes
            let flooder = try await NonReadingTLSClient.connect(port: locator.port, from: "127.0.0.2")
            defer { flooder.close() }
            async let flooding = flooder.flood(Self.pingFlood, limit: Self.floodLimit)
            let honest = try await ModernLocatorClient.connect(port: locator.port, pin: .acceptAny)
            let pong = try await honest.request(.ping(token: "honest"))
            let flood = try await flooding
            let growth = locator.residentBytes - before

            #expect(pong == .pong(token: "honest"), "an honest PING during the flood was not answered")
            #expect(flood.sent > 1 << 20, "the flood never got going: \(flood.sent) bytes went in")
            #expect(flood.stalled, "the locator kept reading: \(flood.sent >> 20) MiB of requests went in")
            #expect(growth < Self.allowedGrowth, "the locator grew by \(growth >> 20) MiB")
            #expect(try await honest.request(.ping(token: "after")) == .pong(token: "after"))
            await honest.close()
        }
    }

    @Test("a connection whose replies stay unsent past the idle timeout is closed, on both protocols, and memory goes back")
    func stalledConnectionsClose() async throws {
        try await withLocator(arguments: ["--idle-timeout", "2"]) { locator in
            #expect(try await LegacyCourseClient.ask("\(Self.alice)_net2019", port: locator.port) == "lol")
            let before = locator.residentBytes
            let course = try NonReadingClient.connect(port: locator.port, from: "127.0.0.2")
            let tls = try await NonReadingTLSClient.connect(port: locator.port, from: "127.0.0.4")
            defer { tls.close() }
            async let courseFlood = course.flood(Self.courseFlood, limit: Self.floodLimit)
            async let tlsFlood = tls.flood(Self.pingFlood, limit: Self.floodLimit)
            #expect(try await courseFlood.stalled)
            #expect(try await tlsFlood.stalled)

            #expect(try await course.waitUntilClosed(timeout: .seconds(15)), "the course connection stayed open")
            #expect(try await tls.waitUntilClosed(timeout: .seconds(15)), "the TLS connection stayed open")
            let growth = locator.residentBytes - before
            #expect(growth < Self.allowedGrowth / 2, "after both closed the locator still holds \(growth >> 20) MiB more")
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port, from: "127.0.0.3") == "127.0.0.1")
        }
    }

    private func withLocator(arguments: [String] = [], _ body: (LimitedLocator) async throws -> Void) async throws {
        let locator = try await LimitedLocator.start(fileLimit: 1024, arguments: arguments)
        do {
            try await body(locator)
        } catch {
            await locator.stop()
            throw error
        }
        await locator.stop()
    }
}
