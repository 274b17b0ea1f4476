import Foundation
import Testing

@testable import Shell

@Suite struct TypedPathTests {
    @Test func theBlankTabLeavesAfterANameIsDroppedUnlessTheNameHasIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("typed-path-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(FileManager.default.createFile(atPath: directory + "/photo.jpg", contents: Data([1])))
        #expect(FileManager.default.createFile(atPath: directory + "/odd ", contents: Data([1])))

        #expect(ShellSession.typedPath(directory + "/photo.jpg ") == directory + "/photo.jpg")
        #expect(ShellSession.typedPath(directory + "/photo.jpg") == directory + "/photo.jpg")
        #expect(ShellSession.typedPath(directory + "/odd ") == directory + "/odd ")
        #expect(ShellSession.typedPath("~/x") == NSString(string: "~/x").expandingTildeInPath)
    }
}
