@testable import ChatEngine
import ChatWire
import Synchronization
import Testing

@Suite("StaggeredDial")
struct StaggeredDialTests {
    static let lan = PeerCandidate(word: "lan:192.168.77.2:40123")!
    static let direct = PeerCandidate(word: "direct:203.0.113.9:40123")!
    static let relayed = PeerCandidate(word: "relayed:198.51.100.1:50000")!

    struct Refused: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    @Test("LAN is tried first whatever the order given; when it works nothing else is needed")
    func lanFirst() async throws {
        let tried = Mutex<[PeerCandidate.Kind]>([])
        let winner = try await StaggeredDial.race([Self.relayed, Self.direct, Self.lan], stagger: .seconds(30)) { candidate in
            tried.withLock { $0.append(candidate.kind) }
            return candidate.kind
        }
        #expect(winner.candidate == Self.lan && winner.output == .lan)
        #expect(tried.withLock { $0 } == [.lan])
    }

    @Test("a failed attempt starts the next at once, without waiting for the stagger")
    func failureStartsNext() async throws {
        let winner = try await StaggeredDial.race([Self.lan, Self.direct, Self.relayed], stagger: .seconds(30)) { candidate in
            guard candidate.kind == .relayed else { throw Refused() }
            return "through the relay"
        }
        #expect(winner.candidate == Self.relayed && winner.output == "through the relay")
    }

    @Test("a slow first attempt does not hold up the next, which wins; the slow one is cancelled")
    func staggerRaces() async throws {
        let cancelled = Mutex(false)
        let winner = try await StaggeredDial.race([Self.lan, Self.direct], stagger: .milliseconds(10)) { candidate in
            if candidate.kind == .lan {
                // Hangs until cancelled: a LAN address that swallows the SYN.
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    cancelled.withLock { $0 = true }
                    throw error
                }
            }
            return candidate.kind
        }
        #expect(winner.output == .direct)
        #expect(cancelled.withLock { $0 })
    }

    @Test("when every path fails, one line says what each said")
    func allFail() async {
        do {
            _ = try await StaggeredDial.race([Self.direct, Self.relayed], stagger: .seconds(30)) { _ -> Int in throw Refused() }
            Issue.record("a dial with no working path succeeded")
        } catch {
            #expect("\(error)" == "no path worked: direct 203.0.113.9: connection refused; relayed 198.51.100.1: connection refused")
        }
        await #expect(throws: StaggeredDial.Failure.self) {
            _ = try await StaggeredDial.race([], stagger: .zero) { _ in 1 }
        }
    }
}
