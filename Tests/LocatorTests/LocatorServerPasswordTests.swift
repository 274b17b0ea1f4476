import ChatWire
import Foundation
import Locator
import NIOCore
import Testing
import TestSupport

/// Password guessing and registration floods: a guesser is slowed down without costing the
/// locator a hash, the real user still gets in from elsewhere, and new accounts have a ceiling.
@Suite("LocatorServer: password guessing and registration floods", .timeLimit(.minutes(2)))
struct LocatorServerPasswordTests {
    @Test("wrong passwords for one account: past the free ones each guess gets 'ERR busy :retry in N s', even the right one; the real user logs in from another address")
    func guessingOneAccount() async throws {
        try await withTestLocator(configure: { $0.firstLoginPenalty = .seconds(60) }) { locator throws in
            try await Self.register("alice", from: "127.0.0.2", at: locator)
            let guesser = try await ModernLocatorClient.connect(to: locator, from: "127.0.0.3")
            var checked = 0
            var barred: [String] = []
            for guess in 0..<40 {
                switch try await guesser.login("alice", password: "guess-\(guess)") {
                case .error(let error) where error.code == .auth: checked += 1
                case .error(let error) where error.code == .busy: barred.append(error.message)
                case let other: Issue.record("unexpected reply to a guess: \(other)")
                }
            }
            // Three free failures, the fourth starts a penalty: the remaining 36 are not checked.
            #expect(checked == 4)
            #expect(barred.count == 36)
            #expect(barred.allSatisfy { $0.wholeMatch(of: /retry in [0-9]+ s/) != nil }, "\(barred.prefix(3))")
            guard case .error(let rightButBarred) = try await guesser.login("alice", password: "pw") else {
                Issue.record("the right password was checked while its address was barred")
                return
            }
            #expect(rightButBarred.code == .busy)
            await guesser.close()

            let owner = try await ModernLocatorClient.connect(to: locator, from: "127.0.0.2")
            #expect(try await owner.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await owner.close()
        }
    }

    @Test("guesses at many accounts from 16 connections of one address are barred past the address's free failures; other addresses are not")
    func guessingFromOneAddress() async throws {
        let accounts = (0..<16).map { "user\($0)" }
        try await withTestLocator(configure: {
            $0.firstLoginPenalty = .seconds(60)
            $0.loginFailuresPerAddress = 5
        }) { locator throws in
            for name in accounts { try await Self.register(name, from: "127.0.0.2", at: locator) }
            let replies = try await withThrowingTaskGroup(of: [LocatorReply].self) { group in
                for name in accounts {
                    group.addTask {
                        let client = try await ModernLocatorClient.connect(to: locator, from: "127.0.0.4")
                        var replies: [LocatorReply] = []
                        for guess in 0..<3 { replies.append(try await client.login(name, password: "guess-\(guess)")) }
                        await client.close()
                        return replies
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let checked = replies.filter { if case .error(let error) = $0 { error.code == .auth } else { false } }.count
            let barred = replies.filter { if case .error(let error) = $0 { error.code == .busy } else { false } }.count
            #expect(checked + barred == replies.count, "unexpected replies: \(replies)")
            // The first guesses of the 16 connections may all be in flight before the first failure
            // is known; after that the address is barred (five free, four in flight at most).
            #expect(checked <= 16 + 4, "\(checked) of \(replies.count) guesses were checked")
            #expect(barred >= replies.count - 20)
            let honest = try await ModernLocatorClient.connect(to: locator, from: "127.0.0.5")
            #expect(try await honest.login("user0", password: "pw") == .ok(verb: "LOGIN", details: ["user0", "welcome"]))
            await honest.close()
        }
    }

    @Test("a registration flood from 50 addresses stops at the service-wide budget, and an existing account logs in meanwhile")
    func registrationFloodHasACeiling() async throws {
        try await withTestLocator(configure: {
            $0.registrationsPerMinuteTotal = 10
            $0.hashingWorkers = 1
        }) { locator throws in
            try await Self.register("alice", from: "127.0.0.2", at: locator)
            let sources = (10..<60).map { "127.0.1.\($0)" }
            async let flood = withThrowingTaskGroup(of: LocatorReply.self) { group in
                for (index, source) in sources.enumerated() {
                    group.addTask {
                        let client = try await ModernLocatorClient.connect(to: locator, from: source)
                        let reply = try await client.login("flood\(index)", password: "pw")
                        await client.close()
                        return reply
                    }
                }
                return try await group.reduce(into: [LocatorReply]()) { $0.append($1) }
            }
            let honest = try await ModernLocatorClient.connect(to: locator, from: "127.0.0.2")
            let welcome = try await honest.login("alice", password: "pw")
            await honest.close()
            let replies = try await flood

            #expect(welcome == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            let registered = replies.filter { if case .ok = $0 { true } else { false } }.count
            let refused = replies.compactMap { reply -> LocatorError? in
                if case .error(let error) = reply, error.code == .busy { error } else { nil }
            }
            // Alice took one of the ten; the budget refills by one every 6 s, should the flood take that long.
            #expect((9...10).contains(registered), "\(registered) of 50 registrations went through")
            #expect(refused.count == 50 - registered)
            #expect(refused.allSatisfy { $0.message.contains("at most 10 a minute in all") })
            let accounts = try AccountStore(path: locator.configuration.databasePath, hasher: locator.configuration.passwordHashing)
            #expect(try await accounts.accountCount() == 1 + registered)
        }
    }

    private static func register(_ name: String, from source: String, at locator: TestLocator) async throws {
        let client = try await ModernLocatorClient.connect(to: locator, from: source)
        #expect(try await client.login(name, password: "pw") == .ok(verb: "LOGIN", details: [name, "registered"]))
        await client.close()
    }
}
