import Foundation
import Testing
import TestSupport

extension EndToEndTests {
    /// `p2pchat ARGUMENTS` run to its end; its status, standard output and standard error.
    private static func program(
        _ arguments: [String], in scenario: Scenario, executable: URL? = nil
    ) async throws -> (status: Int32, out: [String], err: [String]) {
        let child = try await scenario.start("control client", arguments, executable: executable)
        child.closeInput()
        let status = try await child.waitForExit(timeout: .seconds(40))
        return (status, child.output.lines, child.errors.lines)
    }

    @Test("send, file and status go through the running shell's control socket, with a script's exit statuses")
    func controlSocket() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)
            let aliceData = scenario.path("alice").path
            let socket = scenario.path("alice/alice/control.sock").path
            let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the control socket is mode \(String(mode ?? 0, radix: 8))")

            let sent = try await Self.program(["send", "bob", "from", "a", "script", "--data-dir", aliceData], in: scenario)
            #expect(sent.status == 0, "\(sent)")
            #expect(sent.out.contains { $0.hasSuffix("<alice→bob> from a script") }, "\(sent)")
            try await bob.waitForEvent("message", ["from": "alice", "text": "from a script"])
            try await alice.waitForEvent("sent", ["to": "bob"])  // the shell at the prompt shows it too

            let notFriend = try await Self.program(["send", "zed", "hi", "--data-dir", aliceData], in: scenario)
            #expect(notFriend.status == 1)
            #expect(notFriend.err == ["error: zed is not your friend: send a request with /add zed"], "\(notFriend)")
            let wrongID = try await Self.program(["send", "-bad", "hi", "--data-dir", aliceData, "--"], in: scenario)
            #expect(wrongID.status != 0)

            let file = scenario.path("notes.txt")
            try Data("the notes\n".utf8).write(to: file)
            let offered = try await Self.program(["file", "bob", file.path, "--data-dir", aliceData], in: scenario)
            #expect(offered.status == 0, "\(offered)")
            try await bob.waitForEvent("file_received", ["peer": "alice", "name": "notes.txt"], timeout: .seconds(30))

            let status = try await Self.program(["status", "--data-dir", aliceData], in: scenario)
            #expect(status.status == 0)
            #expect(status.out.first?.hasPrefix("-!- logged in as alice, locator connected") == true, "\(status)")

            // With the shell gone, send logs in by itself (the password from P2PCHAT_PASSWORD).
            try await alice.run("/logout", expecting: "logged_out", ["user": "alice"])
            #expect(!FileManager.default.fileExists(atPath: socket), "the socket outlived the login")
            let alone = try await Self.program(
                ["send", "bob", "without", "a", "shell", "--data-dir", aliceData, "--user", "alice", "--locator", "127.0.0.1:\(port)"],
                in: scenario)
            #expect(alone.status == 0, "\(alone)")
            try await bob.waitForEvent("message", ["from": "alice", "text": "without a shell"])
            let nobody = try await Self.program(["status", "--data-dir", aliceData], in: scenario)
            #expect(nobody.status == 1)
            #expect(nobody.err.first?.contains("no p2pchat shell is running") == true, "\(nobody)")
        }
    }

    @Test("a control-socket client of another user is refused with one line",
          .enabled(if: getuid() == 0, "needs root to run the client as another user (runuser -u nobody)"))
    func controlSocketRefusesAnotherUser() async throws {
        try await Scenario.run { scenario in
            let (_, _, _, bob) = try await Self.friends(in: scenario)
            // Opened up on purpose, so that only the socket's own check stands in the way.
            for path in [scenario.directory.url.path, scenario.path("alice").path, scenario.path("alice/alice").path] {
                chmod(path, 0o755)
            }
            chmod(scenario.path("alice/alice/control.sock").path, 0o666)
            let refused = try await Self.program(
                ["-u", "nobody", "--", scenario.binary.path, "send", "bob", "intruder", "--data-dir", scenario.path("alice").path],
                in: scenario, executable: URL(fileURLWithPath: "/usr/sbin/runuser"))
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.err == ["error: the control socket takes commands only from its owner (uid 0)"], "\(refused)")
            #expect(bob.events("message", ["text": "intruder"]).isEmpty)
        }
    }
}
