import Foundation

/// What Tab offers: command names for the first word, then candidates by the command's ``ArgumentKind``.
///
/// Positions are offsets in Unicode scalars (libedit's unit), like ``CompletionContext``. Each candidate
/// replaces the whole word being completed (from `replaceFrom` to the cursor); candidates come sorted.
/// A directory candidate ends in `/`, so the editor should not append a space after it. Pure apart from
/// the directory listing for `.file` arguments.
public enum Completer {
    public static func candidates(
        line: String,
        cursor: Int,
        friends: [String],
        requesters: [String] = [],
        groups: [String],
        groupMembers: [String: [String]] = [:],
        homeDirectory: String? = nil,
        currentDirectory: String? = nil
    ) -> (replaceFrom: Int, candidates: [String]) {
        let scalars = Array(line.unicodeScalars)
        let cursor = min(max(cursor, 0), scalars.count)
        var start = cursor
        while start > 0, !ArgumentScanner.isBlank(scalars[start - 1]) { start -= 1 }
        let word = string(scalars[start..<cursor])
        let before = scalars[..<start].split(whereSeparator: ArgumentScanner.isBlank).map(string)
        guard let first = before.first else {
            // The first word: a command name, unless the line is chat text.
            guard word.hasPrefix("/") else {
                return (start, conversationIDs(word, friends: friends, groups: groups, atLineStart: true))
            }
            guard !word.hasPrefix("//") else { return (start, []) }
            return (start, matching(word.lowercased(), CommandSpec.all.map(\.command)))
        }
        guard first.hasPrefix("/"), !first.hasPrefix("//") else {
            return (start, conversationIDs(word, friends: friends, groups: groups, atLineStart: false))
        }
        guard let spec = CommandSpec.named(first) else { return (start, []) }
        let index = before.count - 1
        let kind = spec.kind(ofArgument: index)
        if kind == .settingValue { return (start, matching(word.lowercased(), ShellSettings.values(of: before[index].lowercased()))) }
        if spec == .group, index == 2, before[1].lowercased() == "kick" {
            return (start, matching(word, groupMembers[before[2]] ?? []))
        }
        let found = candidates(
            for: kind, word: word, friends: friends, requesters: requesters, groups: groups, home: homeDirectory,
            current: currentDirectory)
        return (start, found)
    }

    /// The candidates for an argument of `kind` that starts with `word`.
    static func candidates(
        for kind: ArgumentKind, word: String, friends: [String], requesters: [String] = [], groups: [String],
        home: String?, current: String?
    ) -> [String] {
        switch kind {
        case .friend:
            matching(word, friends)
        case .requester:
            matching(word, requesters)
        case .command:
            matching(
                word.lowercased(),
                CommandSpec.all.map { word.hasPrefix("/") ? $0.command : $0.name } + [CommandLineParser.keysTopic])
        case .setting:
            matching(word.lowercased(), ShellSettings.names)
        case .eventName:
            matching(word, OutputKind.events.map(\.name))
        case .group:
            matching(word, groups.map { $0.hasPrefix("#") ? $0 : "#" + $0 })
        case .conversation:
            matching(word, friends + groups.map { $0.hasPrefix("#") ? $0 : "#" + $0 })
        case .groupAction:
            matching(word.lowercased(), CommandLineParser.groupActions)
        case .confirmation:
            matching(word.lowercased(), [CommandLineParser.confirmed])
        case .file:
            files(matching: word, home: home, current: current)
        case .none, .user, .text, .number, .seconds, .settingValue:
            []
        }
    }

    /// Ids in chat text: friends and `#groups`; all of them at the start of a line, none for an empty word
    /// later (a Tab in a sentence).
    private static func conversationIDs(_ word: String, friends: [String], groups: [String], atLineStart: Bool) -> [String] {
        guard !word.isEmpty || atLineStart else { return [] }
        return matching(word, friends + groups.map { $0.hasPrefix("#") ? $0 : "#" + $0 })
    }

    /// Whether Tab on this line completes an id in chat text (cycling through the matches) rather than a
    /// command or an argument.
    public static func isChatText(line: String, cursor: Int) -> Bool {
        let scalars = Array(line.unicodeScalars)
        let first = scalars.prefix(min(max(cursor, 0), scalars.count)).drop(while: ArgumentScanner.isBlank)
        return first.first != "/" || first.starts(with: ["/", "/"])
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func matching(_ prefix: String, _ words: [String]) -> [String] {
        Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }

    /// Paths that complete `word`: the entries of its directory that start with its last component,
    /// written the way the user wrote the directory (`~/` stays `~/`). Hidden entries only when the
    /// component starts with `.`.
    private static func files(matching word: String, home: String?, current: String?) -> [String] {
        if word == "~" { return ["~/"] }
        let directoryPart: String
        let namePrefix: String
        if let slash = word.lastIndex(of: "/") {
            directoryPart = String(word[...slash])
            namePrefix = String(word[word.index(after: slash)...])
        } else {
            directoryPart = ""
            namePrefix = word
        }
        let directory: String
        if directoryPart.hasPrefix("~/") {
            let home = home ?? FileManager.default.homeDirectoryForCurrentUser.path
            directory = home + "/" + directoryPart.dropFirst(2)
        } else if directoryPart.hasPrefix("~") {
            return []  // ~user is not expanded
        } else if directoryPart.hasPrefix("/") {
            directory = directoryPart
        } else {
            directory = (current ?? FileManager.default.currentDirectoryPath) + "/" + directoryPart
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let showHidden = namePrefix.hasPrefix(".")
        let candidates = entries.filter { $0.hasPrefix(namePrefix) && (showHidden || !$0.hasPrefix(".")) }.map { entry in
            var isDirectory: ObjCBool = false
            let path = (directory.hasSuffix("/") ? directory : directory + "/") + entry
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            return directoryPart + entry + (exists && isDirectory.boolValue ? "/" : "")
        }
        return candidates.sorted()
    }
}
