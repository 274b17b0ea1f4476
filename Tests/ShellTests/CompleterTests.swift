import Foundation
import Testing

@testable import Shell

@Suite struct CompleterTests {
    private let friends = ["alice", "alfred", "bob", "Al"]

    private func complete(_ line: String, cursor: Int? = nil) -> (replaceFrom: Int, candidates: [String]) {
        Completer.candidates(
            line: line, cursor: cursor ?? line.unicodeScalars.count, friends: friends, requesters: ["dave", "dora"],
            groups: ["dev", "#ops"], groupMembers: ["#ops": ["alice", "carol"]])
    }

    @Test func commandNamesAtTheFirstWord() {
        let all = complete("/")
        #expect(all.replaceFrom == 0)
        #expect(all.candidates == CommandSpec.all.map(\.command).sorted())
        #expect(complete("/he").candidates == ["/help"])
        #expect(complete("/s").candidates == ["/search", "/set", "/sleep", "/status"])
        #expect(complete("/re").candidates == ["/reject", "/remove", "/reply", "/requests"])
        #expect(complete("/zz").candidates == [])
        #expect(complete("  /qu").replaceFrom == 2)
        #expect(complete("  /qui").candidates == ["/quit"])
    }

    @Test func acceptAndRejectCompleteOpenRequestsOnly() {
        #expect(complete("/accept d").candidates == ["dave", "dora"])
        #expect(complete("/reject do").candidates == ["dora"])
        #expect(complete("/accept al").candidates == [], "friends have no open request")
        #expect(complete("/msg d").candidates == [], "a requester is not a friend yet")
    }

    @Test func idsCompleteInChatText() {
        #expect(complete("hello al").candidates == ["alfred", "alice"])
        #expect(complete("al").candidates == ["alfred", "alice"])
        #expect(complete("#o").candidates == ["#ops"])
        #expect(complete("//he b").candidates == ["bob"])
        #expect(complete("hello ").candidates == [], "an empty word in a sentence is left alone")
        #expect(complete("").candidates == ["#dev", "#ops", "Al", "alfred", "alice", "bob"])
        #expect(complete("//he").candidates == [])
        #expect(Completer.isChatText(line: "hello al", cursor: 8))
        #expect(Completer.isChatText(line: "//x al", cursor: 6))
        #expect(!Completer.isChatText(line: "/msg al", cursor: 7))
    }

    @Test func setCompletesNamesAndValues() {
        #expect(complete("/set b").candidates == ["bell"])
        #expect(complete("/set bell m").candidates == ["mentions"])
        #expect(complete("/set bell ").candidates == ["all", "mentions", "off"])
        #expect(complete("/help k").candidates == ["keys"])
    }

    @Test func friendIDsWithACommonPrefix() {
        let result = complete("/msg al")
        #expect(result.replaceFrom == 5)
        #expect(result.candidates == ["alfred", "alice"])
        #expect(complete("/msg ").candidates == ["#dev", "#ops", "Al", "alfred", "alice", "bob"])
        #expect(complete("/remove b").candidates == ["bob"])
        #expect(complete("/chat alf").candidates == ["alfred"])
        #expect(complete("/history al").candidates == ["alfred", "alice"])
    }

    @Test func groupsAndTheirMembers() {
        #expect(complete("/msg #").candidates == ["#dev", "#ops"])
        #expect(complete("/chat #o").candidates == ["#ops"])
        #expect(complete("/group ").candidates == ["create", "info", "invite", "kick", "leave", "list"])
        #expect(complete("/group in").candidates == ["info", "invite"])
        #expect(complete("/group info #").candidates == ["#dev", "#ops"])
        #expect(complete("/group kick #ops ").candidates == ["alice", "carol"], "members, not friends")
        #expect(complete("/group kick #ops c").candidates == ["carol"])
        #expect(complete("/group invite #ops b").candidates == ["bob"], "friends")
    }

    @Test func cursorInsideTheLine() {
        let result = complete("/msg al see you", cursor: 7)
        #expect(result.replaceFrom == 5)
        #expect(result.candidates == ["alfred", "alice"])
        // Offsets are in Unicode scalars: é written as e + U+0301 is two.
        let unicode = complete("/msg e\u{301} al", cursor: 10)
        #expect(unicode.replaceFrom == 8)
        #expect(unicode.candidates == [])
    }

    @Test func textAndOtherArgumentsAreNotCompleted() {
        #expect(complete("/msg alice he").candidates == [])
        #expect(complete("/msg alice hello al").candidates == [])
        #expect(complete("/history alice 2").candidates == [])
        #expect(complete("/query al").candidates == [])
        #expect(complete("/login al").candidates == [])
        #expect(complete("/quit al").candidates == [])
        #expect(complete("/nosuch al").candidates == [])
    }

    @Test func helpCompletesCommandNames() {
        #expect(complete("/help ms").candidates == ["msg"])
        #expect(complete("/help /m").candidates == ["/me", "/msg"])
        #expect(complete("/help ").candidates.count == CommandSpec.all.count + 1, "the commands, and keys")
        #expect(complete("/help msg ").candidates == [])
    }

    @Test func waitCompletesEventNames() {
        #expect(complete("/wait pre").candidates == ["presence"])
        #expect(complete("/wait friend_").candidates == ["friend_added", "friend_removed", "friend_request"])
        #expect(!complete("/wait ").candidates.contains("sent"))
        #expect(complete("/wait message fr").candidates == [])
    }

    @Test func groupNames() {
        let candidates = Completer.candidates(for: .group, word: "#", friends: [], groups: ["dev", "#ops"], home: nil, current: nil)
        #expect(candidates == ["#dev", "#ops"])
        #expect(Completer.candidates(for: .group, word: "#d", friends: [], groups: ["dev", "#ops"], home: nil, current: nil) == ["#dev"])
    }

    @Test func filePaths() throws {
        let directory = try TemporaryFiles()
        defer { directory.remove() }
        let root = directory.path
        func files(_ word: String) -> [String] {
            Completer.candidates(for: .file, word: word, friends: [], groups: [], home: root, current: root + "/notebook")
        }
        #expect(files(root + "/no") == [root + "/notebook/", root + "/notes.txt"])
        #expect(files(root + "/") == [root + "/notebook/", root + "/notes.txt", root + "/photo.jpg"])
        #expect(files(root + "/.h") == [root + "/.hidden"])
        #expect(files("~/p") == ["~/photo.jpg"])
        #expect(files("~/notebook/") == ["~/notebook/inside.txt"])
        #expect(files("~") == ["~/"])
        #expect(files("ins") == ["inside.txt"])
        #expect(files(root + "/missing/") == [])

        // On the command line: the friend, then the path (the rest of the line).
        let line = "/file bob \(root)/ph"
        let completed = Completer.candidates(line: line, cursor: line.unicodeScalars.count, friends: ["bob"], groups: [])
        #expect(completed.candidates == [root + "/photo.jpg"])
        #expect(completed.replaceFrom == "/file bob ".unicodeScalars.count)
        #expect(Completer.candidates(line: "/file b", cursor: 7, friends: ["bob"], groups: []).candidates == ["bob"])
    }
}

/// A temporary directory with `notes.txt`, `photo.jpg`, `.hidden` and `notebook/inside.txt`.
private struct TemporaryFiles {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shell-completer-\(UUID().uuidString)")
        path = url.path
        try FileManager.default.createDirectory(atPath: path + "/notebook", withIntermediateDirectories: true)
        for file in ["notes.txt", "photo.jpg", ".hidden", "notebook/inside.txt"] {
            try Data().write(to: url.appendingPathComponent(file))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
