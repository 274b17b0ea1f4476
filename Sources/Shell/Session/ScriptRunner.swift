import Logging

/// The shell without a terminal: each line of standard input runs in order, each finishing
/// before the next starts; at the end, outstanding work is finished (bounded), the user is
/// logged out, and the exit status tells how it went.
public enum ScriptRunner {
    /// 0 when every command succeeded, 1 when one failed, 2 when a line was not a valid command.
    public static func run(options: ShellOptions, logger: Logger) async -> Int32 {
        let sink = StandardOutputSink(json: options.json, color: options.color)
        let session = ShellSession(options: options, sink: sink, logger: logger, askPassword: { _ in nil })
        return await run(StandardInputLines(), in: session)
    }

    /// Runs `lines` as a script, as `run(options:logger:)` runs standard input.
    public static func run(lines: [String], options: ShellOptions, logger: Logger) async -> Int32 {
        let sink = StandardOutputSink(json: options.json, color: options.color)
        let session = ShellSession(options: options, sink: sink, logger: logger, askPassword: { _ in nil })
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        for line in lines { continuation.yield(line) }
        continuation.finish()
        return await run(stream, in: session)
    }

    /// Runs `lines` in `session` until they end or one is `/quit`, then shuts the session down.
    static func run(_ lines: some AsyncSequence<String, Never>, in session: ShellSession) async -> Int32 {
        var failed = false
        var misused = false
        lines: for await line in lines {
            switch await session.run(line) {
            case .succeeded: continue
            case .failed: failed = true
            case .usageError: misused = true
            case .quit: break lines
            }
        }
        await session.shutdown()
        return misused ? 2 : failed ? 1 : 0
    }
}
