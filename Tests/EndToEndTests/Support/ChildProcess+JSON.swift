extension ChildProcess {
    /// The `--json` events printed so far, in order.
    var events: [JSONEvent] {
        output.lines.enumerated().compactMap { JSONEvent(line: $0.element, index: $0.offset) }
    }

    /// The events called `name` whose fields equal `fields` (as text).
    func events(_ name: String, _ fields: [String: String] = [:]) -> [JSONEvent] {
        events.filter { $0.matches(name, fields) }
    }

    /// How many lines were printed so far: pass it as `after` to wait only for what comes next.
    func mark() -> Int {
        output.lines.count
    }

    /// The first event called `name` with these fields at line `after` or later, waiting for it
    /// up to `timeout`; fails early when the program exits without printing it.
    @discardableResult
    func waitForEvent(
        _ name: String, _ fields: [String: String] = [:], after: Int = 0, timeout: Duration = .seconds(20)
    ) async throws -> JSONEvent {
        let found = await poll(timeout: timeout) { () -> JSONEvent? in
            let finished = output.isFinished
            if let event = events.first(where: { $0.index >= after && $0.matches(name, fields) }) { return event }
            return finished ? JSONEvent?.none : nil
        }
        if let found { return found }
        let wanted = ([name] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        let why = output.isFinished ? "exited without printing it" : "did not print it within \(timeout)"
        throw EndToEndError("\(self.name) \(why): waited for \(wanted)\n\(report())")
    }

    /// Sends a command and waits for the result or event it should produce.
    @discardableResult
    func run(
        _ line: String, expecting name: String, _ fields: [String: String] = [:], timeout: Duration = .seconds(20)
    ) async throws -> JSONEvent {
        let start = mark()
        try send(line)
        return try await waitForEvent(name, fields, after: start, timeout: timeout)
    }

    /// The first output line at `after` or later that satisfies `predicate`.
    @discardableResult
    func waitForLine(
        after: Int = 0, timeout: Duration = .seconds(20), _ what: String, where predicate: (String) -> Bool
    ) async throws -> String {
        let found = await poll(timeout: timeout) { () -> String? in
            output.lines.dropFirst(after).first(where: predicate)
        }
        guard let found else { throw EndToEndError("\(name) did not print \(what) within \(timeout)\n\(report())") }
        return found
    }
}
