import Foundation
import Locator
import Testing
import TestSupport

@Suite("Roster")
struct RosterTests {
    @Test("one id a line; blank lines, comments and surrounding spaces are ignored")
    func parses() throws {
        let text = """
            # course roster
            2017011000
              2019011001  # late enrolment

            alice
            """
        #expect(try Roster.parse(text, source: "roster.txt") == ["2017011000", "2019011001", "alice"])
        #expect(try Roster.parse("", source: "empty").isEmpty)
    }

    @Test("an invalid id names the file and line")
    func invalidID() throws {
        do {
            _ = try Roster.parse("2017011000\nbad id\n", source: "roster.txt")
            Issue.record("accepted 'bad id'")
        } catch let error as Roster.Error {
            #expect(error.description.contains("roster.txt:2"))
            #expect(error.description.contains("bad id"))
        }
    }

    @Test("loads from a file; a missing file is an error naming it")
    func load() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("roster").path
        try "2017011000\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Roster.load(from: path) == ["2017011000"])
        #expect(throws: Roster.Error.self) { try Roster.load(from: path + ".missing") }
    }
}
