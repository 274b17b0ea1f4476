import Foundation
import TestSupport
import Shell
import Testing

/// The committed man page and completion scripts against the program they describe: each test
/// fails when the program changes (a command, an event, an option, a default) and the files do not.
///
/// The program's own parser lives in the `p2pchat` executable, which a test target cannot import,
/// so the tests run the built `p2pchat` found next to the test runner (`swift test` builds it).
@Suite struct DocumentationDriftTests {
    // MARK: Completion scripts

    @Test(arguments: [("bash", "p2pchat.bash"), ("zsh", "_p2pchat"), ("fish", "p2pchat.fish")])
    func completionScriptIsWhatTheParserGenerates(shell: String, file: String) throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        let generated = try Self.runProgram(["--generate-completion-script", shell])
        let regenerate = "p2pchat --generate-completion-script \(shell) > completions/\(file)"
        #expect(committed == generated, "completions/\(file) differs from the program's; regenerate it: \(regenerate)")
    }

    // MARK: Slash-commands

    @Test func slashCommandsAreTheTableInOrderWithTheirUsage() throws {
        let items = try ManPage.load().items(in: "SLASH COMMANDS")
        let documented = items.map { ManPage.plainUsage(of: $0.head) }
        #expect(
            documented == CommandSpec.all.map(\.usage),
            "the SLASH COMMANDS items of man/p2pchat.1 must be CommandSpec.all, in order: `.It Ic /name Ar ...`")
    }

    @Test func slashCommandsHaveTheTablesHelpText() throws {
        let items = try ManPage.load().items(in: "SLASH COMMANDS")
        for spec in CommandSpec.all {
            guard let item = items.first(where: { ManPage.plainUsage(of: $0.head) == spec.usage }) else {
                Issue.record("man/p2pchat.1 does not document \(spec.usage)")
                continue
            }
            #expect(
                ManPage.plainText(of: item.body) == spec.help,
                "the text under \(spec.command) in man/p2pchat.1 must be its /help text, one sentence a line")
        }
    }

    // MARK: Keys

    @Test func keysAreTheTableInOrder() throws {
        let items = try ManPage.load().items(in: "KEYS")
        #expect(
            items.map { String($0.head.dropFirst(".It ".count)) } == KeyBinding.all.map(\.keys),
            "the KEYS items of man/p2pchat.1 must be KeyBinding.all, in order: `.It KEYS` then the action")
        #expect(items.map { ManPage.plainText(of: $0.body) } == KeyBinding.all.map(\.action))
    }

    // MARK: JSON events

    @Test func jsonEventsAreDocumentedWithTheirFields() throws {
        let page = try ManPage.load()
        let events = page.items(in: "JSON EVENTS", subsection: "Events")
        let results = page.items(in: "JSON EVENTS", subsection: "Results")
        #expect(
            events.map(\.name) == OutputKind.events.map(\.name), "JSON EVENTS, Events: what /wait accepts, in order")
        #expect(
            results.map(\.name) == OutputKind.results.map(\.name), "JSON EVENTS, Results: the other output names, in order")
        for item in events + results {
            guard let kind = (OutputKind.events + OutputKind.results).first(where: { $0.name == item.name }) else {
                Issue.record("man/p2pchat.1 documents '\(item.name)', which the shell does not print")
                continue
            }
            #expect(
                ManPage.variables(in: item.body) == Set(kind.fields),
                "the .Va fields under \(kind.name) in man/p2pchat.1 must be \(kind.fields)")
        }
    }

    // MARK: Options

    @Test func everySubcommandAndOptionIsDocumentedWithItsDefault() throws {
        let page = try ManPage.load()
        let everyCommand = page.items(in: "OPTIONS", subsection: "Every command")
        let synopsis = page.synopsisBlocks()
        var pending: [[String]] = [[]]
        var visited = 0
        var everywhere = Set<String>()
        while let path = pending.popLast() {
            visited += 1
            let help = try HelpPage(parsing: Self.runProgram(path + ["--help"]))
            pending += help.subcommands.map { path + [$0] }
            let title = (["p2pchat"] + path).joined(separator: " ")
            let own = help.options.filter { !["help", "version"].contains($0.name) }
            everywhere.formUnion(help.options.map(\.name).filter { !own.map(\.name).contains($0) })
            guard !own.isEmpty else { continue }
            let items = page.items(in: "OPTIONS", subsection: title)
            #expect(!items.isEmpty, "man/p2pchat.1 has no `.Ss \(title)` under OPTIONS for the options of \(title)")
            let block = synopsis.first { block in
                block.contains { ManPage.words(of: $0).drop { [".Op", ".Cm", "Cm"].contains($0) } == path[...] }
            }
            #expect(block != nil, "the SYNOPSIS of man/p2pchat.1 has no `.Cm \(path.joined(separator: " "))`")
            for option in own {
                #expect(
                    block?.contains { ManPage.words(of: $0).contains("-\(option.name)") } ?? false,
                    "the SYNOPSIS of \(title) lacks --\(option.name)")
                guard let item = items.first(where: { $0.headWords.contains("-\(option.name)") }) else {
                    Issue.record("man/p2pchat.1 does not document --\(option.name) of \(title)")
                    continue
                }
                if let value = option.value {
                    #expect(
                        item.head.contains("Ar \(value)"),
                        "--\(option.name) of \(title) takes <\(value)>: `.It Fl -\(option.name) Ar \(value)`")
                }
                let body = item.body.joined(separator: "\n")
                if let defaultValue = option.defaultValue {
                    #expect(
                        body.contains(defaultValue),
                        "the default of --\(option.name) of \(title), \(defaultValue), is not in its text")
                }
                for value in option.values {
                    #expect(
                        body.contains(value), "--\(option.name) of \(title) accepts \(value), not said in its text")
                }
            }
        }
        #expect(visited >= 5, "p2pchat --help lists fewer subcommands than expected")
        for name in everywhere.sorted() {
            #expect(
                everyCommand.contains { $0.headWords.contains("-\(name)") },
                "--\(name) is not in OPTIONS, Every command")
        }
    }

    // MARK: mandoc

    @Test(.enabled(
        if: DocumentationDriftTests.mandoc != nil,
        "mandoc is not installed (apt-get install mandoc), so man/p2pchat.1 is not linted"))
    func manPageIsLintClean() throws {
        let page = Self.root.appendingPathComponent("man/p2pchat.1").path
        let output = try Self.run(try #require(Self.mandoc), ["-T", "lint", page])
        // Cross-references are checked against the manuals installed on this machine, which vary.
        let messages = output.all.split(separator: "\n").filter {
            !$0.contains("referenced manual not found") && !$0.contains("mandoc.db")
        }
        #expect(messages.isEmpty, "mandoc -T lint man/p2pchat.1:\n\(messages.joined(separator: "\n"))")
    }

    // MARK: Running programs

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let mandoc: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("mandoc") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `p2pchat` in the build directory of this test runner (`.build/<triple>/debug/`), or the one
    /// above it when the runner is inside an `.xctest` bundle.
    static func program() throws -> URL {
        var runners = Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map(\.bundleURL)
        if let main = Bundle.main.executableURL { runners.insert(main, at: 0) }
        for runner in runners {
            var directory = runner.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("p2pchat")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                    !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        throw Failure(
            description: "no built p2pchat next to \(runners.map(\.path)); run `swift build --product p2pchat`")
    }

    /// Runs the built program and returns its standard output; fails unless it exits with 0.
    static func runProgram(_ arguments: [String]) throws -> String {
        let result = try run(program(), arguments)
        guard result.status == 0 else {
            throw Failure(
                description: "p2pchat \(arguments.joined(separator: " ")) exited \(result.status): \(result.errors)")
        }
        return result.output
    }

    static func run(
        _ executable: URL, _ arguments: [String]
    ) throws -> (status: Int32, output: String, errors: String, all: String) {
        let (status, out, err) = try SpawnedProcess.run(executable.path, arguments)
        return (status, out, err, out + err)
    }
}

// MARK: - The man page

/// Just enough of mdoc to find what the tests compare: sections, list items, and the words of macro lines.
struct ManPage {
    struct Item {
        /// The `.It` line.
        var head: String
        /// The lines after it, up to the next item or the end of the list.
        var body: [String]

        var headWords: [String] { ManPage.words(of: head) }
        /// The first word after `.It` and its macro: `message` for `.It Cm message`.
        var name: String { headWords.dropFirst(2).first ?? "" }
    }

    let lines: [String]

    static func load() throws -> ManPage {
        let file = DocumentationDriftTests.root.appendingPathComponent("man/p2pchat.1")
        let text = try String(contentsOf: file, encoding: .utf8)
        return ManPage(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// The lines of `.Sh title`, or of `.Ss subsection` within it.
    func lines(in title: String, subsection: String? = nil) -> [String] {
        let section = Self.slice(lines, after: ".Sh \(title)", until: [".Sh "])
        guard let subsection else { return section }
        return Self.slice(section, after: ".Ss \(subsection)", until: [".Ss ", ".Sh "])
    }

    /// The items of the outermost lists; the lines of a list nested in an item are part of its body.
    func items(in title: String, subsection: String? = nil) -> [Item] {
        var items: [Item] = []
        var depth = 0
        var open = false
        for line in lines(in: title, subsection: subsection) {
            if line.hasPrefix(".Bl ") {
                depth += 1
                if depth == 1 { continue }
            } else if line.hasPrefix(".El") {
                depth -= 1
                if depth == 0 {
                    open = false
                    continue
                }
            } else if depth == 1, line.hasPrefix(".It ") {
                items.append(Item(head: line, body: []))
                open = true
                continue
            }
            if open { items[items.count - 1].body.append(line) }
        }
        return items
    }

    /// The SYNOPSIS, one block of lines per `.Nm`.
    func synopsisBlocks() -> [[String]] {
        var blocks: [[String]] = []
        for line in lines(in: "SYNOPSIS") {
            if line == ".Nm" { blocks.append([]) } else if !blocks.isEmpty { blocks[blocks.count - 1].append(line) }
        }
        return blocks
    }

    private static func slice(_ lines: [String], after start: String, until ends: [String]) -> [String] {
        guard let first = lines.firstIndex(of: start) else { return [] }
        let rest = lines[(first + 1)...]
        let end = rest.firstIndex { line in ends.contains { line.hasPrefix($0) } } ?? rest.endIndex
        return Array(rest[..<end])
    }

    /// The words of a macro line, with double-quoted arguments as one word.
    static func words(of line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
            } else if character == " ", !quoted {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// An `.It` head as the usage line it renders: `.It Ic /chat Oo Ar ID Oc` is `/chat [ID]`.
    static func plainUsage(of head: String) -> String {
        var text = ""
        var joinNext = false
        var closeAtEnd = 0
        func add(_ word: String) {
            if !text.isEmpty, !joinNext { text += " " }
            text += word
            joinNext = false
        }
        for word in words(of: head).dropFirst() {
            switch word {
            case "Ic", "Ar", "Cm", "Li", "Va", "Sy", "Em": continue
            case "Ns": joinNext = true
            case "Oo":
                add("[")
                joinNext = true
            case "Op":
                add("[")
                joinNext = true
                closeAtEnd += 1
            case "Oc": text += "]"
            default: add(unescaped(word))
            }
        }
        return text + String(repeating: "]", count: closeAtEnd)
    }

    /// Text lines as one paragraph, with roff escapes resolved; a macro line is kept as it is, so it
    /// never matches plain text.
    static func plainText(of body: [String]) -> String {
        body.map(unescaped).joined(separator: " ")
    }

    /// The field names given with `.Va` in a list item's body: `.Va id , from` names `id` and `from`.
    static func variables(in body: [String]) -> Set<String> {
        var names = Set<String>()
        for line in body where line.hasPrefix(".") {
            var inVa = false
            for word in words(of: String(line.dropFirst())) {
                if isMacro(word) {
                    inVa = word == "Va"
                } else if inVa, word.contains(where: { $0.isLetter }) {
                    names.insert(word)
                }
            }
        }
        return names
    }

    private static func isMacro(_ word: String) -> Bool {
        (2...3).contains(word.count) && word.first!.isUppercase && word.dropFirst().allSatisfy(\.isLowercase)
    }

    private static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\&", with: "")
            .replacingOccurrences(of: "\\(dq", with: "\"")
            .replacingOccurrences(of: "\\e", with: "\\")
    }
}

// MARK: - Help output

/// The OPTIONS and SUBCOMMANDS of `p2pchat ... --help`, as swift-argument-parser prints them.
struct HelpPage {
    struct Option {
        var name: String
        /// The value name in `<...>`; nil for a flag.
        var value: String?
        var text = ""

        /// What the parser appends for a default value: `(default: 120)` or `(values: a, b; default: a)`.
        var defaultValue: String? {
            text.firstMatch(of: #/default: ([^()]+)\)$/#).map { String($0.1) }
        }

        var values: [String] {
            guard let match = text.firstMatch(of: #/\(values: ([^;)]+)/#) else { return [] }
            return match.1.split(separator: ", ").map(String.init)
        }
    }

    var options: [Option] = []
    var subcommands: [String] = []

    init(parsing help: String) throws {
        var heading = ""
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, !first.isWhitespace {
                heading = String(line)
                continue
            }
            switch heading {
            case "OPTIONS:":
                if let match = line.wholeMatch(of: #/  (?:-\w, )?--([a-z0-9-]+)(?: <([^>]+)>)?(.*)/#) {
                    options.append(Option(name: String(match.1), value: match.2.map(String.init)))
                    options[options.count - 1].text = match.3.trimmingCharacters(in: .whitespaces)
                } else if !options.isEmpty, !line.isEmpty {
                    let text = options[options.count - 1].text + " " + line.trimmingCharacters(in: .whitespaces)
                    options[options.count - 1].text = text.trimmingCharacters(in: .whitespaces)
                }
            case "SUBCOMMANDS:":
                if let match = line.prefixMatch(of: #/  ([a-z][a-z0-9-]*)(?: \(default\))?(?: |$)/#) {
                    subcommands.append(String(match.1))
                }
            default:
                break
            }
        }
        guard !options.isEmpty else { throw DocumentationDriftTests.Failure(description: "no OPTIONS in:\n\(help)") }
    }
}
