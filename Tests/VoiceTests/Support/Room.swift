import Synchronization
import Voice

/// A room with a speaker and a microphone in it: what the speaker plays reaches the microphone
/// 30 ms later, half as loud, followed by three fainter reflections. The microphone hears nothing
/// else, so everything a call sends from it is echo.
final class Room: Sendable {
    /// (delay in samples, gain): the direct path, then the walls.
    static let paths: [(delay: Int, gain: Double)] = [(1440, 0.5), (2400, -0.3), (3800, 0.2), (5000, 0.1)]

    private let played = Mutex<[Int16]>([])

    var speaker: Speaker { Speaker(room: self) }
    var microphone: Microphone { Microphone(room: self) }

    struct Speaker: AudioSink {
        let room: Room
        mutating func write(_ frame: [Int16]) { room.played.withLock { $0 += frame } }
        mutating func finish() {}
    }

    /// Frame n of the microphone is heard at the same point of the call's clock as frame n of
    /// the speaker is played.
    struct Microphone: AudioSource {
        let room: Room
        private var heard = 0

        init(room: Room) {
            self.room = room
        }

        mutating func read() -> [Int16]? {
            let start = heard
            heard += AudioFrame.samples
            return room.played.withLock { played in
                (start..<start + AudioFrame.samples).map { time in
                    let echo = Room.paths.reduce(0.0) { sum, path in
                        let source = time - path.delay
                        return source >= 0 && source < played.count ? sum + path.gain * Double(played[source]) : sum
                    }
                    return Int16(clamping: Int(echo.rounded()))
                }
            }
        }
    }
}
