import ChatEngine
import Foundation
import Logging
import Synchronization

/// What a command run for a control-socket client showed: it goes to the shell's own output as
/// well, so the person at the prompt sees what a script did in their name.
final class ControlCapture: Sendable {
    private let outputs = Mutex<[ShellOutput]>([])

    func append(_ output: ShellOutput) {
        outputs.withLock { $0.append(output) }
    }

    var captured: [ShellOutput] { outputs.withLock { $0 } }
}

extension ShellSession {
    /// Set while a control-socket client's command runs: `show` hands it what the command shows.
    @TaskLocal static var controlCapture: ControlCapture?

    /// Runs a line for a control-socket client, as a script would run it.
    func runForControl(_ line: String) async -> ControlReply {
        if case .command(let command) = CommandLineParser.parse(line, currentConversation: nil), command.spec == .quit {
            return ControlReply(lines: ["err the control socket does not end the shell: /quit at its prompt"], status: 2)
        }
        let capture = ControlCapture()
        let outcome = await Self.$controlCapture.withValue(capture) { await run(line) }
        let renderer = OutputRenderer(color: false, me: user)
        let lines = capture.captured.flatMap { output -> [String] in
            if case .error(let message) = output { return ["err " + message] }
            return renderer.human(output).split(separator: "\n", omittingEmptySubsequences: false).map { "out " + $0 }
        }
        let status: Int32 = switch outcome {
        case .succeeded, .quit: 0
        case .failed: 1
        case .usageError: 2
        }
        return ControlReply(lines: lines, status: status)
    }

    /// Serves `user`'s control socket while they are logged in, unless another shell of theirs
    /// serves it already. The task ends at logout (`stopControlSocket`).
    func startControlSocket(for user: String) async {
        let path = options.dataRoot.appendingPathComponent(user).appendingPathComponent(ControlSocket.fileName).path
        guard await !ControlSocket.isServed(at: path) else {
            logger.notice("another shell serves the control socket", metadata: ["path": "\(path)"])
            return
        }
        do {
            let socket = try await ControlSocket.bind(at: path)
            controlSocketTask = Task { [logger] in
                await socket.run({ line in await self.runForControl(line) }, logger: logger)
            }
        } catch {
            logger.warning("no control socket: p2pchat send, file and status will log in by themselves", metadata: ["error": "\(error)"])
        }
    }

    func stopControlSocket() async {
        controlSocketTask?.cancel()
        await controlSocketTask?.value
        controlSocketTask = nil
    }
}
