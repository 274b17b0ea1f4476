import NIOCore
import Synchronization

/// When a connection last made a well-formed request, whether one is still being answered, since
/// when an unfinished one has been arriving, and since when its replies have not been going out.
/// Written by the connection's event loop, read by the sweep and by eviction.
final class ConnectionActivity: Sendable {
    /// Uptime nanoseconds of the last well-formed request (of the accept, before the first).
    private let lastRequest: Atomic<Int64>
    /// Uptime nanoseconds of the first byte of a request not yet complete; 0 when none is.
    private let partialSince = Atomic<Int64>(0)
    /// Uptime nanoseconds since which the unsent output has been above the high-water mark; 0 when it is not.
    private let stalledSince = Atomic<Int64>(0)
    /// Whether a request is waiting for its answer (a login waiting for its turn at hashing): the
    /// client is waiting for us then, not idle, however long the queue.
    private let answering = Atomic<Bool>(false)

    init(now: NIODeadline = .now()) {
        lastRequest = Atomic(Int64(now.uptimeNanoseconds))
    }

    var lastRequestNanoseconds: Int64 { lastRequest.load(ordering: .relaxed) }

    /// A well-formed request arrived: idle time starts again, and nothing is unfinished.
    func requestCompleted(at now: NIODeadline = .now()) {
        lastRequest.store(Int64(now.uptimeNanoseconds), ordering: .relaxed)
        partialSince.store(0, ordering: .relaxed)
    }

    /// A request went to the service to be answered.
    func answerStarted() {
        answering.store(true, ordering: .relaxed)
    }

    /// Its answer came: idle time starts from now.
    func answerFinished(at now: NIODeadline = .now()) {
        lastRequest.store(Int64(now.uptimeNanoseconds), ordering: .relaxed)
        answering.store(false, ordering: .relaxed)
    }

    /// Bytes arrived; `endsRequest` tells whether they end with a request's terminator.
    func bytesArrived(endsRequest: Bool, at now: @autoclosure () -> NIODeadline) {
        if endsRequest {
            partialSince.store(0, ordering: .relaxed)
        } else if partialSince.load(ordering: .relaxed) == 0 {
            partialSince.store(Int64(now().uptimeNanoseconds), ordering: .relaxed)
        }
    }

    /// The connection's unsent output rose above the high-water mark: the client is not reading.
    func outputStalled(at now: NIODeadline) {
        stalledSince.store(max(1, Int64(now.uptimeNanoseconds)), ordering: .relaxed)
    }

    /// Whether the unsent output is above the high-water mark now: the client is not reading.
    var isStalled: Bool { stalledSince.load(ordering: .relaxed) != 0 }

    /// The output went down below the low-water mark again.
    func outputDrained() {
        stalledSince.store(0, ordering: .relaxed)
    }

    /// Whether the connection has been idle too long (with no request being answered), its
    /// unfinished request has taken too long, or its replies have not been going out for longer
    /// than the idle timeout.
    func isOverdue(now: Int64, idleTimeout: Int64, requestTimeout: Int64) -> Bool {
        if !answering.load(ordering: .relaxed), now - lastRequest.load(ordering: .relaxed) > idleTimeout { return true }
        let stalled = stalledSince.load(ordering: .relaxed)
        if stalled != 0 && now - stalled > idleTimeout { return true }
        let partial = partialSince.load(ordering: .relaxed)
        return partial != 0 && now - partial > requestTimeout
    }
}
