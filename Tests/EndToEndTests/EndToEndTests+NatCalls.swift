import Foundation
import Testing
import TestSupport

/// Calls between friends behind NATs, in the namespaces of `NatInternet`: both sides probe the
/// other's UDP candidates at once, which punches holes in cone NATs; where no hole opens (two
/// symmetric NATs) the media goes through coturn's UDP allocations; on one LAN it stays there.
/// Each is a 5 s call of speech from a WAV file, judged on what the callee's WAV file heard
/// (`natMatrix` places them).
extension EndToEndTests {
    /// Namespaces, coturn and speech: without any of them the NAT matrix skips, saying why.
    static let natCallsPossible = ConditionTrait.enabled(
        if: NatInternet.available && SpeechFixture.toolsInstalled, "\(NatInternet.missingReason); \(SpeechFixture.missingToolsReason)")

    /// `caller`, talking from `speech`'s WAV file, calls `callee` for 5 s; both must name the same
    /// media path, which is returned, and `heard`, the callee's speaker file, must hold the
    /// speech. Both clients exit at the end.
    static func call(
        from caller: (client: ChildProcess, name: String), to callee: (client: ChildProcess, name: String),
        speech fixture: SpeechFixture, heard: URL
    ) async throws -> String {
        let (talker, listener) = (caller.client, callee.client)
        try listener.send("/wait call_incoming from=\(caller.name)")
        try listener.send("/answer \(caller.name)")
        let clock = ContinuousClock()
        let placed = clock.now
        let started = try await talker.run("/call \(callee.name)", expecting: "call_started", ["peer": callee.name], timeout: .seconds(60))
        let setup = clock.now - placed
        let answered = try await listener.waitForEvent("call_started", ["peer": caller.name], timeout: .seconds(30))
        let path = started["path"] ?? "?"
        // Recorded, not judged: the ring, the answer, gathering and the probes (a second more when relayed).
        print("call \(caller.name) → \(callee.name): path \(path) / \(answered["path"] ?? "?"), /call to call_started \(setup)")
        #expect(answered["path"] == path, "\(listener.report())")
        let stats = try await talker.run("/call", expecting: "call_stats", ["peer": callee.name])
        #expect(stats["path"] == path)

        try listener.send("/wait call_ended")
        listener.closeInput()
        try talker.send("/sleep 5")
        try talker.send("/hangup")
        try talker.send("/wait call_ended")
        talker.closeInput()
        #expect(try await talker.waitForExit(timeout: .seconds(60)) == 0, "\(talker.report())")
        #expect(try await listener.waitForExit(timeout: .seconds(60)) == 0, "\(listener.report())")

        // Speech arrived: most of the 10 ms stretches that are loud in the speech are loud in
        // what the callee played (the call may start a little into it, and Opus smooths).
        let spoken = loudStretches(samples(try Data(contentsOf: URL(fileURLWithPath: fixture.rawPath))))
        let played = loudStretches(samples(try Data(contentsOf: heard).dropFirst(44)))
        print("call \(caller.name) → \(callee.name): \(played) of \(spoken) loud 10 ms stretches heard")
        #expect(spoken > 100)
        #expect(Double(played) >= 0.7 * Double(spoken), "the callee heard \(played) loud stretches of \(spoken)")
        return path
    }

    private static func samples(_ data: Data) -> [Int16] {
        let bytes = Array(data)
        return stride(from: 0, to: bytes.count - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
    }

    /// How many 10 ms stretches (480 samples at 48 kHz) have an RMS above 1,000.
    private static func loudStretches(_ samples: [Int16]) -> Int {
        stride(from: 0, to: samples.count - 480, by: 480).filter { start in
            let power = samples[start..<start + 480].reduce(0.0) { $0 + Double($1) * Double($1) } / 480
            return power.squareRoot() > 1000
        }.count
    }
}

/// A home of `NatInternet`, named before the namespaces exist (a test's arguments).
enum NatHome: String, Sendable, CustomTestStringConvertible {
    case open, openB, coneA, coneB, coneC, symA, symB

    func namespace(in net: NatInternet) -> String {
        switch self {
        case .open: net.open
        case .openB: net.openB
        case .coneA: net.coneA
        case .coneB: net.coneB
        case .coneC: net.coneC
        case .symA: net.symA
        case .symB: net.symB
        }
    }

    var testDescription: String { rawValue }
}
