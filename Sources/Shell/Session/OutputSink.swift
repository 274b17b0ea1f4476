/// Where the shell's output goes: plain stdout for scripts, above the prompt when interactive.
public protocol OutputSink: Sendable {
    func write(_ output: ShellOutput)
}
