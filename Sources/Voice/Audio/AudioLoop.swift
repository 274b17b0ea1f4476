import Synchronization

/// A speaker wired to a microphone: what a call's sink plays, its source captures again, so the
/// peer hears itself (the echo peer). Holds at most a second; older frames are dropped.
public final class AudioLoop: Sendable {
    private let frames = Mutex<[[Int16]]>([])

    static let capacity = 50

    public init() {}

    /// The sink end: every frame written is queued for the source.
    public var sink: AudioLoopSink { AudioLoopSink(loop: self) }
    /// The source end: the oldest queued frame, or silence when nothing waits.
    public var source: AudioLoopSource { AudioLoopSource(loop: self) }

    func push(_ frame: [Int16]) {
        frames.withLock { frames in
            frames.append(frame)
            if frames.count > Self.capacity { frames.removeFirst(frames.count - Self.capacity) }
        }
    }

    func pop() -> [Int16]? {
        frames.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}
