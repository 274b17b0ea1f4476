import CGlibcExtras
import Synchronization

/// Gives memory back to the system after a wave of connections has gone.
///
/// After thousands of TLS sessions close, their memory is free inside malloc's heaps but stays
/// resident: glibc returns a heap's top only, and the pages in between stay with the process
/// (the next wave reuses them, but the one after grows further as the heaps fragment).
/// `malloc_trim` hands the free pages of every heap back. It walks the heaps, so it runs only
/// when the number of open connections has fallen to half of its peak since the last trim, or
/// when a connection that had replies piled up (a client that did not read) has closed; at most
/// once a sweep.
final class MemoryTrim: Sendable {
    private struct State {
        var peak = 0
        var stalledConnectionClosed = false
    }

    /// Below this peak a trim would give back too little to be worth the walk.
    private static let smallestPeak = 256
    private let state = Mutex(State())

    /// A connection whose output had risen above the high-water mark has closed.
    func stalledConnectionClosed() {
        state.withLock { $0.stalledConnectionClosed = true }
    }

    /// Called by the sweep with the number of connections open now.
    func connectionsNow(_ count: Int) {
        let due = state.withLock { state in
            state.peak = max(state.peak, count)
            let afterWave = state.peak >= Self.smallestPeak && count <= state.peak / 2
            guard afterWave || state.stalledConnectionClosed else { return false }
            state.peak = count
            state.stalledConnectionClosed = false
            return true
        }
        #if os(Linux)
        if due { _ = p2p_malloc_trim() }
        #endif
    }
}
