import ChatWire

/// Tries the ways to reach a friend as RFC 8305 ("happy eyeballs") tries addresses: in the order
/// of their kind (LAN, then direct, then relayed), each `stagger` after the one before or at
/// once when the one before has failed, all racing; the first attempt that succeeds (for a peer
/// connection: whose TLS handshake pinned the friend's certificate) wins, the others are
/// cancelled, and one that succeeds too late is handed to `discard` (to close it).
enum StaggeredDial {
    /// Every candidate failed: what each said, in the order they were tried.
    struct Failure: Error, CustomStringConvertible {
        let attempts: [(candidate: PeerCandidate, reason: String)]

        var description: String {
            guard !attempts.isEmpty else { return "no way to reach them is known" }
            return "no path worked: " + attempts.map { "\($0.candidate.kind) \($0.candidate.host): \($0.reason)" }.joined(separator: "; ")
        }
    }

    private enum Event<Output: Sendable>: Sendable {
        case finished(Int, Result<Output, any Error>)
        case due(Int)
    }

    static func race<Output: Sendable>(
        _ candidates: [PeerCandidate], stagger: Duration,
        attempt: @escaping @Sendable (PeerCandidate) async throws -> Output,
        discard: @escaping @Sendable (Output) async -> Void = { _ in }
    ) async throws -> (candidate: PeerCandidate, output: Output) {
        // A stable sort: within a kind, the order the candidates came in.
        let ordered = candidates.enumerated().sorted { ($0.element.kind, $0.offset) < ($1.element.kind, $1.offset) }.map(\.element)
        guard !ordered.isEmpty else { throw Failure(attempts: []) }
        return try await withThrowingTaskGroup(of: Event<Output>.self) { group in
            var started = 0
            var running = 0
            var failures: [(candidate: PeerCandidate, reason: String)] = []
            func start(_ group: inout ThrowingTaskGroup<Event<Output>, any Error>) {
                let index = started
                started += 1
                running += 1
                group.addTask {
                    do {
                        return .finished(index, .success(try await attempt(ordered[index])))
                    } catch {
                        return .finished(index, .failure(error))
                    }
                }
                if started < ordered.count {
                    let next = started
                    group.addTask {
                        try? await Task.sleep(for: stagger)
                        return .due(next)
                    }
                }
            }
            start(&group)
            while let event = try await group.next() {
                switch event {
                case .due(let index):
                    if index == started, !Task.isCancelled { start(&group) }
                case .finished(let index, .success(let output)):
                    group.cancelAll()
                    while let late = try await group.next() {
                        if case .finished(_, .success(let extra)) = late { await discard(extra) }
                    }
                    return (ordered[index], output)
                case .finished(let index, .failure(let error)):
                    running -= 1
                    failures.append((ordered[index], "\(error)"))
                    if started < ordered.count {
                        start(&group)
                    } else if running == 0 {
                        group.cancelAll()
                        throw Failure(attempts: failures)
                    }
                }
            }
            throw Failure(attempts: failures)
        }
    }
}
