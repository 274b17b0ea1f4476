import Testing
import Voice

@Suite struct JitterBufferTests {
    private func packet(_ frame: UInt32) -> [UInt8] { [UInt8(truncatingIfNeeded: frame)] }

    /// Feeds `frames` arriving exactly on time, then plays that many ticks.
    private func steady(_ buffer: inout JitterBuffer, frames: Range<UInt32>) -> [JitterBuffer.Playout] {
        frames.map { frame in
            buffer.insert(frame: frame, packet: packet(frame), arrival: Double(frame) * 0.02)
            return buffer.playout()
        }
    }

    @Test func buffersTwoFramesThenPlaysEveryFrameInOrder() {
        var buffer = JitterBuffer()
        #expect(buffer.targetDepth == 2)
        var played: [JitterBuffer.Playout] = []
        for frame: UInt32 in 0..<500 {
            buffer.insert(frame: frame, packet: packet(frame), arrival: Double(frame) * 0.02)
            played.append(buffer.playout())
            // The player would drop a quiet frame here if the buffer asked it to.
            if case .packet = played.last, buffer.shrinks(droppingQuietFrame: true) { played.append(buffer.playout()) }
        }
        #expect(played.prefix(3) == [.silence, .packet(packet(0)), .packet(packet(1))])
        // A steady path never shrinks the buffer: no frame is dropped.
        #expect(Array(played.dropFirst()) == (0..<499).map { .packet(packet($0)) })
        #expect(buffer.discardedFrames == 0)
    }

    @Test func aCopyFillsALostFrameButNeverReplacesOrComesTooLate() {
        var buffer = JitterBuffer()
        for frame: UInt32 in [0, 1, 3] { buffer.insert(frame: frame, packet: packet(frame), arrival: Double(frame) * 0.02) }
        let filled = buffer.insertCopy(frame: 2, packet: [200])
        let replaced = buffer.insertCopy(frame: 0, packet: [201])
        let played = (0..<4).map { _ in buffer.playout() }
        let tooLate = buffer.insertCopy(frame: 2, packet: [202])
        #expect(filled)
        #expect(!replaced, "frame 0's own packet is there")
        #expect(played == [.packet(packet(0)), .packet(packet(1)), .packet([200]), .packet(packet(3))])
        #expect(!tooLate, "frame 2 has been played")
    }

    @Test func lostFrameIsRecoveredFromTheNextPacketOrConcealed() {
        var buffer = JitterBuffer()
        for frame: UInt32 in [0, 1, 2, 4, 5] { buffer.insert(frame: frame, packet: packet(frame), arrival: Double(frame) * 0.02) }
        let first = (0..<5).map { _ in buffer.playout() }
        #expect(first == [.packet(packet(0)), .packet(packet(1)), .packet(packet(2)), .recover(from: packet(4)), .packet(packet(4))])
        for frame: UInt32 in [8, 9] { buffer.insert(frame: frame, packet: packet(frame), arrival: Double(frame) * 0.02) }
        // Frame 6: neither it nor 7 arrived; 7 comes back from 8's FEC.
        let then = (0..<4).map { _ in buffer.playout() }
        #expect(then == [.packet(packet(5)), .conceal, .recover(from: packet(8)), .packet(packet(8))])
    }

    @Test func onAJitteryPathALatePacketStallsPlayoutInsteadOfBeingSkipped() {
        var buffer = JitterBuffer()
        // Every other packet 30 ms late.
        for frame: UInt32 in 0..<40 {
            buffer.insert(frame: frame, packet: packet(frame), arrival: Double(frame) * 0.02 + (frame % 2 == 0 ? 0.03 : 0))
            _ = buffer.playout()
        }
        while buffer.depth > 0 { _ = buffer.playout() }
        let waiting = buffer.playout()
        let accepted = buffer.insert(frame: 40, packet: packet(40), arrival: 0.9)
        let played = buffer.playout()
        #expect(waiting == .conceal)
        #expect(accepted)
        #expect(played == .packet(packet(40)))
    }

    @Test func onASteadyPathAMissingPacketIsLost() {
        var buffer = JitterBuffer()
        _ = steady(&buffer, frames: 0..<10)
        while buffer.depth > 0 { _ = buffer.playout() }
        let concealed = buffer.playout()
        let accepted = buffer.insert(frame: 10, packet: packet(10), arrival: 0.3)
        #expect(concealed == .conceal)
        #expect(!accepted)
        #expect(buffer.lateFrames == 1)
    }

    @Test func targetGrowsWithJitterAndShrinksWhenItFalls() {
        var buffer = JitterBuffer()
        // For four seconds every other packet comes 60 ms late, and so after the next ones; then
        // the path is steady. Each tick takes what has arrived by then and plays one frame.
        func arrival(_ frame: UInt32) -> Double { Double(frame) * 0.02 + (frame < 200 && frame % 2 == 0 ? 0.06 : 0) }
        var pending = Array(UInt32(0)..<1200), jittery = 0
        for tick in 0..<1200 {
            let now = Double(tick) * 0.02 + 0.001
            for frame in pending.filter({ arrival($0) <= now }).sorted(by: { arrival($0) < arrival($1) }) {
                buffer.insert(frame: frame, packet: packet(frame), arrival: arrival(frame))
            }
            pending.removeAll { arrival($0) <= now }
            // Every frame is quiet here: the player drops each one the buffer offers.
            if case .packet = buffer.playout(), buffer.shrinks(droppingQuietFrame: true) { _ = buffer.playout() }
            if tick == 199 { jittery = buffer.targetDepth }
        }
        #expect(jittery > 2)
        #expect(buffer.targetDepth == buffer.configuration.minimumDepth)
        #expect(buffer.depth <= buffer.targetDepth + 1)
        #expect(buffer.discardedFrames > 0)
    }

    @Test func afterAnOutageTheBurstThatEndsItDoesNotAddToTheDelay() {
        var buffer = JitterBuffer()
        _ = steady(&buffer, frames: 0..<10)
        // Nothing for 300 ms: playout conceals, then falls silent.
        let outage = (0..<15).map { _ in buffer.playout() }
        // Then everything since comes at once.
        for frame: UInt32 in 10..<26 { buffer.insert(frame: frame, packet: packet(frame), arrival: 0.52) }
        let resumed = buffer.playout()
        #expect(outage.last == .silence)
        #expect(resumed == .packet(packet(26 - UInt32(buffer.targetDepth))))
        #expect(buffer.depth == buffer.targetDepth - 1)
    }

    @Test func silenceAfterTheStreamStops() {
        var buffer = JitterBuffer()
        _ = steady(&buffer, frames: 0..<10)
        let rest = (0..<30).map { _ in buffer.playout() }
        #expect(rest.suffix(10).allSatisfy { $0 == .silence })
        #expect(rest.filter { $0 == .conceal }.count == buffer.configuration.maximumConcealment)
    }
}
