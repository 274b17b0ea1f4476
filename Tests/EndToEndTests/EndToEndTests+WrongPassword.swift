import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "a wrong password in a script is one error line on stderr, also against the locator the shell starts itself",
        .enabled(if: TwoHosts.available, "needs root and ip netns: the shell's own locator takes port 8000 of a namespace's loopback")
    )
    func wrongPasswordIsOneLine() async throws {
        try await Scenario.run { scenario in
            // In a namespace of its own, 127.0.0.1:8000 is free: the shell starts its locator there.
            let hosts = try await TwoHosts.make(in: scenario)
            let options = ["--data-dir", scenario.path("bob").path, "--listen", "127.0.0.1:0", "--no-echo"]
            let first = try await hosts.start("bob", on: hosts.first, options, in: scenario)
            try first.send("/login bob right")
            first.closeInput()
            #expect(try await first.waitForExit(timeout: .seconds(60)) == 0, "\(first.report())")

            let second = try await hosts.start("bob again", on: hosts.first, options, in: scenario)
            try second.send("/login bob wrong")
            second.closeInput()
            #expect(try await second.waitForExit(timeout: .seconds(60)) == 1, "\(second.report())")
            // The greeting says where the locator is (`p2pchat: ...`); about the password, one line.
            let said = second.errors.lines.filter { !$0.hasPrefix("p2pchat: ") }
            #expect(said == ["error: Wrong password for bob at the locator 127.0.0.1:8000."], "\(second.report())")
        }
    }
}
