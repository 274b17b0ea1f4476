import Shell
import Testing

@Suite struct CommandLineParserTests {
    private func parse(_ line: String, in conversation: String? = nil) -> ParsedLine {
        CommandLineParser.parse(line, currentConversation: conversation)
    }

    /// The command name and arguments, or `nil` when the line is not a command.
    private func command(_ line: String, in conversation: String? = nil) -> (CommandSpec, [String])? {
        guard case .command(let command) = parse(line, in: conversation) else { return nil }
        return (command.spec, command.words)
    }

    /// What `/history` asks for, as its action got it.
    private func history(_ line: String, in conversation: String? = nil) -> HistoryRequest? {
        guard case .command(let command) = parse(line, in: conversation) else { return nil }
        return command.arguments as? HistoryRequest
    }

    private func error(_ line: String, in conversation: String? = nil) -> String? {
        guard case .error(let message) = parse(line, in: conversation) else { return nil }
        return message
    }

    @Test(arguments: [
        ("/login alice", CommandSpec.login, ["alice"]),
        ("/login alice s3cret", .login, ["alice", "s3cret"]),
        ("/login alice  pass  phrase ", .login, ["alice", "pass  phrase "]),
        ("/logout", .logout, []),
        ("/query bob", .query, ["bob"]),
        ("/add bob", .add, ["bob"]),
        ("/requests", .requests, []),
        ("/accept bob", .accept, ["bob"]),
        ("/reject bob", .reject, ["bob"]),
        ("/friends", .friends, []),
        ("/remove bob", .remove, ["bob"]),
        ("/msg bob hi", .msg, ["bob", "hi"]),
        ("/chat bob", .chat, ["bob"]),
        ("/chat", .chat, []),
        ("/history bob", .history, ["bob"]),
        ("/history bob 5", .history, ["bob", "5"]),
        ("/history 1234567890", .history, ["1234567890"]),
        ("/search hello  world", .search, ["hello  world"]),
        ("/whoami", .whoami, []),
        ("/status", .status, []),
        ("/help", .help, []),
        ("/help msg", .help, ["msg"]),
        ("/help /MSG", .help, ["msg"]),
        ("/quit", .quit, []),
        ("/wait presence", .wait, ["presence"]),
        ("/wait message from=bob text=\"hello world\" timeout=5", .wait, ["message", "from=bob", "text=hello world", "timeout=5"]),
        ("/sleep 0.5", .sleep, ["0.5"]),
        ("  /QUIT  ", .quit, []),
        ("/msg\tbob\thi", .msg, ["bob", "hi"]),
        ("/msg bob hi\r\n", .msg, ["bob", "hi"]),
    ])
    func validForms(line: String, name: CommandSpec, arguments: [String]) {
        let parsed = command(line)
        #expect(parsed?.0 == name, "\(line)")
        #expect(parsed?.1 == arguments, "\(line)")
    }

    @Test(arguments: [
        ("/login", "usage: /login ID [PASSWORD]"),
        ("/logout now", "usage: /logout"),
        ("/query", "usage: /query ID"),
        ("/query bob carol", "usage: /query ID"),
        ("/add", "usage: /add ID"),
        ("/requests all", "usage: /requests"),
        ("/accept", "usage: /accept ID"),
        ("/reject a b", "usage: /reject [ID]"),
        ("/friends x", "usage: /friends"),
        ("/remove", "usage: /remove ID"),
        ("/msg", "usage: /msg ID TEXT"),
        ("/msg bob", "usage: /msg ID TEXT"),
        ("/msg bob    ", "usage: /msg ID TEXT"),
        ("/chat bob carol", "usage: /chat [ID]"),
        ("/history bob 5 6", "usage: /history [ID] [N]"),
        ("/search", "usage: /search TEXT"),
        ("/whoami me", "usage: /whoami"),
        ("/status now", "usage: /status"),
        ("/help msg chat", "usage: /help [COMMAND|keys]"),
        ("/quit now", "usage: /quit"),
        ("/wait", "usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]"),
        ("/sleep", "usage: /sleep SECONDS"),
        ("/sleep 1 2", "usage: /sleep SECONDS"),
    ])
    func wrongArgumentCounts(line: String, message: String) {
        #expect(error(line) == message)
    }

    @Test(arguments: ["/login bad!id", "/query -bob", "/add .hidden", "/accept bob@host", "/reject ''", "/remove é", "/msg b\"o\"b! hi", "/chat x y"])
    func invalidIDs(line: String) {
        let message = error(line)
        if line == "/chat x y" {
            #expect(message == "usage: /chat [ID]")
        } else {
            #expect(message?.hasSuffix("is not a valid id: a user id is 1 to 32 letters, digits, '.', '_' or '-', not starting with '-' or '.'") == true, "\(line): \(message ?? "parsed")")
        }
    }

    @Test func tooLongID() {
        #expect(error("/query " + String(repeating: "a", count: 33))?.contains("is not a valid id") == true)
    }

    @Test func historyDefaultsToTheCurrentConversation() {
        #expect(history("/history", in: "bob") == HistoryRequest(conversation: "bob", count: 20))
        #expect(history("/history 50", in: "bob") == HistoryRequest(conversation: "bob", count: 50))
        #expect(history("/history carol", in: "bob") == HistoryRequest(conversation: "carol", count: 20))
        #expect(history("/history 1234567890") == HistoryRequest(conversation: "1234567890", count: 20))
        #expect(error("/history") == "no conversation: use /history ID [N], or /chat ID first")
        #expect(error("/history 50") == "no conversation: use /history ID [N], or /chat ID first")
        #expect(error("/history bob 0")?.hasPrefix("N must be a whole number from 1 to 1000") == true)
        #expect(error("/history bob 1001")?.hasPrefix("N must be a whole number from 1 to 1000") == true)
        #expect(error("/history bob many")?.hasPrefix("N must be a whole number") == true)
    }

    /// What the command's action got from the line, typed.
    private func arguments(_ line: String) -> (any Sendable)? {
        guard case .command(let command) = parse(line) else { return nil }
        return command.arguments
    }

    @Test func transferNumbersAreTypedOrAUsageError() {
        #expect(arguments("/decline 3") as? Int == 3)
        #expect(arguments("/cancel 12") as? Int == 12)
        let get = arguments("/get 4 ~/in") as? (number: Int, directory: String?)
        #expect(get?.number == 4 && get?.directory == "~/in")
        #expect(error("/get many") == "usage: /get N [DIR]")
        #expect(error("/decline 0") == "usage: /decline N")
        #expect(error("/cancel -3") == "usage: /cancel N")
    }

    @Test func groupActionsAreTypedOrAUsageError() {
        #expect(arguments("/group create #team bob carol") as? GroupCommand == .create(name: "team", members: ["bob", "carol"]))
        #expect(arguments("/group KICK #team bob") as? GroupCommand == .kick(group: "#team", member: "bob"))
        #expect(arguments("/group list") as? GroupCommand == .list)
        #expect(error("/group create team") == "usage: /group create NAME ID...")
        #expect(error("/group info") == "usage: /group info #GROUP")
        #expect(error("/group kick #team") == "usage: /group kick #GROUP ID")
        #expect(error("/group list all") == "usage: /group list")
    }

    @Test func helpTopicsAreTyped() {
        #expect(arguments("/help") as? HelpTopic == .commands)
        #expect(arguments("/help KEYS") as? HelpTopic == .keys)
        #expect(arguments("/help /msg") as? HelpTopic == .command(.msg))
    }

    @Test func unknownCommandsSuggestTheNearest() {
        #expect(error("/mgs bob hi") == "unknown command /mgs; did you mean /msg?")
        #expect(error("/frie") == "unknown command /frie; did you mean /friends?")
        #expect(error("/hisotry") == "unknown command /hisotry; did you mean /history?")
        #expect(error("/LOGNI alice") == "unknown command /LOGNI; did you mean /login?")
        #expect(error("/xyzzy") == "unknown command /xyzzy: /help lists the commands")
        #expect(error("/") == "a command name must follow /: /help lists the commands")
        #expect(error("/help mgs") == "unknown command /mgs; did you mean /msg?")
        #expect(error("/help zzz") == "unknown command /zzz: /help lists the commands")
    }

    @Test func unknownCommandNameIsShownCleanAndShort() {
        let message = error("/\u{1B}[2J" + String(repeating: "x", count: 100))
        #expect(message?.contains("\u{1B}") == false)
        #expect((message?.count ?? 0) < 100)
    }

    @Test func groupsAreWhereAMessageMayGo() {
        #expect(command("/msg #team hi all")?.1 == ["#team", "hi all"])
        #expect(command("/chat #team~3f2a")?.1 == ["#team~3f2a"])
        #expect(command("/history #team 5")?.1 == ["#team", "5"])
        #expect(command("/group create team bob carol")?.1 == ["create", "team", "bob", "carol"])
        #expect(command("/group KICK #team bob")?.1 == ["kick", "#team", "bob"])
        #expect(error("/group destroy #team") != nil)
        #expect(error("/msg # hi") != nil)
        #expect(parse("hello", in: "#team") == .text("hello", to: "#team"))
    }

    @Test func textGoesToTheCurrentConversation() {
        #expect(parse("hello there", in: "bob") == .text("hello there", to: "bob"))
        #expect(parse("  two  spaces  ", in: "bob") == .text("  two  spaces  ", to: "bob"))
        #expect(parse("héllo 你好 👋🏽 e\u{301}", in: "bob") == .text("héllo 你好 👋🏽 e\u{301}", to: "bob"))
        #expect(parse("hello", in: nil) == .error("no conversation: use /chat ID or /msg ID TEXT"))
    }

    @Test func doubleSlashSendsALiteralSlash() {
        #expect(parse("//etc/passwd is a file", in: "bob") == .text("/etc/passwd is a file", to: "bob"))
        #expect(parse("//", in: "bob") == .text("/", to: "bob"))
        #expect(parse("//shrug", in: nil) == .error("no conversation: use /chat ID or /msg ID TEXT"))
    }

    @Test func blankLinesAreEmpty() {
        #expect(parse("") == .empty)
        #expect(parse("   \t ", in: "bob") == .empty)
        #expect(parse("\n") == .empty)
    }

    @Test func messageTextKeepsItsSpacesAndUnicode() {
        #expect(command("/msg bob   hello   world")?.1 == ["bob", "hello   world"])
        #expect(command("/msg bob 你好 👋🏽  e\u{301}")?.1 == ["bob", "你好 👋🏽  e\u{301}"])
        // A combining mark after the separating blank stays with the text.
        #expect(command("/msg bob \u{301}x")?.1 == ["bob", "\u{301}x"])
        #expect(command("/msg bob \"quoted\" stays")?.1 == ["bob", "\"quoted\" stays"])
        #expect(command("/search  a  b ")?.1 == ["a  b "])
    }

    @Test func waitArgumentsAreChecked() {
        #expect(error("/wait nosuch")?.hasPrefix("unknown event 'nosuch': one of logged_in, logged_out, locator, locator_moved, presence") == true)
        #expect(error("/wait sent")?.hasPrefix("unknown event 'sent'") == true)
        #expect(error("/wait message form=bob") == "message has no field 'form': its fields are id, from, to, text, time, direction, delivery, action, number, reply_to, edited, deleted, original")
        #expect(error("/wait message timeout=abc") == "timeout=abc is not a number of seconds above 0 and at most 86400; usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]")
        #expect(error("/wait message timeout=0")?.hasPrefix("timeout=0 is not") == true)
        #expect(error("/wait message from") == "'from' is not KEY=VALUE; usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]")
        #expect(error("/wait message text=\"open") == "a double quote is not closed: put a \" at the end of the quoted text")
        #expect(error("/wait message from=a from=b") == "from is given twice; usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]")
    }

    @Test func sleepTakesSeconds() {
        #expect(error("/sleep soon") == "'soon' is not a number of seconds from 0 to 86400; usage: /sleep SECONDS")
        #expect(error("/sleep -1")?.hasPrefix("'-1' is not a number of seconds") == true)
        #expect(error("/sleep 100000")?.hasPrefix("'100000' is not a number of seconds") == true)
        #expect(command("/sleep 0")?.1 == ["0"])
    }

    @Test(arguments: [
        ("2", Duration.seconds(2)), ("0.5", .milliseconds(500)), (".25", .milliseconds(250)), ("1.", .seconds(1)),
        ("86400", .seconds(86_400)), ("0.000000001", .nanoseconds(1)),
    ])
    func secondsAccepted(text: String, duration: Duration) {
        #expect(CommandLineParser.seconds(text) == duration)
    }

    @Test(arguments: ["", ".", "-1", "1e3", "inf", "nan", "1.2.3", "86400.5", "0x10", " 1", "١"])
    func secondsRejected(text: String) {
        #expect(CommandLineParser.seconds(text) == nil)
    }
}
