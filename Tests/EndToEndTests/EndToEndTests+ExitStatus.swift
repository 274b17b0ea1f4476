import Foundation
import Testing
import TestSupport

extension EndToEndTests {
    /// Runs `lines` as a whole script with a fresh data directory; the client once it has exited.
    private static func script(
        _ lines: [String], in scenario: Scenario, port: Int, user: String
    ) async throws -> (status: Int32, client: ChildProcess) {
        let client = try await scenario.startClient(user, locatorPort: port)
        for line in lines { try client.send(line) }
        client.closeInput()
        return (try await client.waitForExit(timeout: .seconds(40)), client)
    }

    @Test("exit status: 2 for a line that is not a command, 1 for a failed command, 0 for a clean script")
    func exitStatus() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()

            // The scripts are independent: run them side by side.
            async let misspelt = Self.script(["/mgs bob hi", "/help msg"], in: scenario, port: port, user: "carol")
            async let notFriend = Self.script(["/login dave", "/msg nobody hi"], in: scenario, port: port, user: "dave")
            async let timedOut = Self.script(["/wait message timeout=0.5"], in: scenario, port: port, user: "erin")
            async let clean = Self.script(["/login frank", "/status", "/help msg", "/friends"], in: scenario, port: port, user: "frank")

            // An unknown command: one error that suggests the right one; the script goes on; status 2.
            let (misspeltStatus, misspeltClient) = try await misspelt
            #expect(misspeltStatus == 2, "\(misspeltClient.report())")
            let errors = misspeltClient.events("error")
            #expect(errors.count == 1, "\(misspeltClient.report())")
            #expect(errors.first?["message"]?.contains("/msg") == true, "\(misspeltClient.report())")
            #expect(misspeltClient.events("help").count == 1, "the line after the mistake still runs")

            // A command that runs and fails: messaging someone who is not a friend; status 1.
            let (notFriendStatus, notFriendClient) = try await notFriend
            #expect(notFriendStatus == 1, "\(notFriendClient.report())")
            let failure = notFriendClient.events("error")
            #expect(failure.count == 1 && failure.first?["message"]?.contains("nobody") == true, "\(notFriendClient.report())")
            #expect(notFriendClient.events("sent").isEmpty)

            // A /wait that nothing satisfies fails after its timeout; status 1.
            let (timedOutStatus, timedOutClient) = try await timedOut
            #expect(timedOutStatus == 1, "\(timedOutClient.report())")
            #expect(timedOutClient.events("error").first?["message"]?.contains("timed out") == true, "\(timedOutClient.report())")

            // Everything succeeds: status 0, no errors.
            let (cleanStatus, cleanClient) = try await clean
            #expect(cleanStatus == 0, "\(cleanClient.report())")
            #expect(cleanClient.events("error").isEmpty, "\(cleanClient.report())")
            #expect(cleanClient.events("status", ["user": "frank", "logged_in": "true", "queued": "0"]).count == 1, "\(cleanClient.report())")
        }
    }

    @Test("an unknown option is refused with a usage message")
    func unknownOption() async throws {
        try await Scenario.run { scenario in
            let client = try await scenario.start("bogus", ["--bogus"])
            client.closeInput()
            let status = try await client.waitForExit()
            #expect(status != 0)
            let errors = client.errors.lines.joined(separator: "\n")
            #expect(errors.contains("--bogus"), "\(client.report())")
            #expect(errors.contains("Usage: p2pchat"), "\(client.report())")
            #expect(client.output.lines.isEmpty, "\(client.report())")
        }
    }
}

extension EndToEndTests {
    @Test("a file given as --data-dir, to the client or the locator, is one line naming it")
    func dataDirectoryIsAFile() async throws {
        try await Scenario.run { scenario in
            let file = scenario.path("not-a-directory")
            try Data("x".utf8).write(to: file)
            let client = try await scenario.start("client", ["--data-dir", file.path, "--json"])
            client.closeInput()
            #expect(try await client.waitForExit() == 1)
            let locator = try await scenario.start("locator", ["locator", "--listen", "127.0.0.1:0", "--data-dir", file.path])
            #expect(try await locator.waitForExit() == 1)
            for (program, prefix) in [(client, "p2pchat"), (locator, "p2pchat locator")] {
                let lines = program.errors.lines.filter { !$0.isEmpty }
                #expect(lines == ["\(prefix): cannot use \(file.path) as the data directory: it is a file, not a directory"], "\(program.report())")
            }
        }
    }
}

extension EndToEndTests {
    @Test("a reader that goes away (| head) ends a script's client as SIGPIPE ends any writer in a pipeline, without a crash")
    func closedOutputEndsQuietly() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            let errors = scenario.path("client-errors")
            // Far more help than a pipe holds: the client is still writing when `head` has gone. It
            // starts with SIGPIPE ignored, as systemd starts services and as some shells run
            // pipelines, so that only the client's own handling can end it.
            let pipeline = """
                trap '' PIPE
                for i in $(seq 400); do echo /help; done \
                  | "$0" --locator 127.0.0.1:\(port) --listen 127.0.0.1:0 --data-dir "$1" 2> "$2" | head -n 1
                echo "client status ${PIPESTATUS[1]}" >&2
                """
            let run = try SpawnedProcess.run(
                "/bin/bash", ["-c", pipeline, scenario.binary.path, scenario.path("carol").path, errors.path],
                environment: scenario.environment)
            #expect(run.output == "-!- commands:\n", "\(run)")
            #expect(run.errors == "client status \(128 + SIGPIPE)\n", "\(run)")
            let printed = try String(contentsOf: errors, encoding: .utf8)
            #expect(!printed.contains("Fatal error") && !printed.contains("crashed"), "\(printed)")
        }
    }
}
