import Shell
import Testing

@Suite struct CommandSpecTests {
    @Test func everyCommandHasUsageSummaryAndHelp() {
        for spec in CommandSpec.all {
            #expect(spec.usage.hasPrefix("/\(spec.name)"))
            #expect(!spec.summary.isEmpty && !spec.summary.contains("\n"), "\(spec.command)")
            #expect(spec.help.count > spec.summary.count, "\(spec.command)")
            #expect(spec.help.contains("Example: /\(spec.name)"), "\(spec.command) has no example")
        }
    }

    @Test func namesAreUniqueAndInTableOrder() {
        let names = CommandSpec.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(
            names == [
                "login", "logout", "query", "add", "requests", "accept", "reject", "friends", "verify", "remove", "msg", "me",
                "chat", "history", "search", "edit", "delete", "reply", "file", "files", "get", "decline", "cancel", "group", "whoami", "status",
                "away", "call", "answer", "hangup", "set", "clear", "help", "quit", "wait", "sleep",
            ])
    }

    @Test func argumentCountsAgreeWithUsage() {
        for spec in CommandSpec.all {
            let words = spec.arguments.split(separator: " ")
            let required = words.filter { !$0.contains("[") && !$0.contains("]") }.count
            #expect(spec.minimumArguments == required, "\(spec.command)")
            if let maximum = spec.maximumArguments {
                #expect(maximum == words.count, "\(spec.command)")
                #expect(spec.completion.count <= maximum, "\(spec.command)")
            }
        }
    }

    @Test func argumentKinds() {
        #expect(CommandSpec.msg.kind(ofArgument: 0) == .conversation)
        #expect(CommandSpec.group.kind(ofArgument: 0) == .groupAction)
        #expect(CommandSpec.group.kind(ofArgument: 4) == .friend)
        #expect(CommandSpec.msg.kind(ofArgument: 1) == .text)
        #expect(CommandSpec.msg.kind(ofArgument: 2) == .none)
        #expect(CommandSpec.help.kind(ofArgument: 0) == .command)
        #expect(CommandSpec.wait.kind(ofArgument: 0) == .eventName)
        #expect(CommandSpec.wait.kind(ofArgument: 5) == .none)
        #expect(CommandSpec.quit.kind(ofArgument: 0) == .none)
    }

    @Test func lookupByName() {
        #expect(CommandSpec.named("/MSG") == .msg)
        #expect(CommandSpec.named("help") == .help)
        #expect(CommandSpec.named("nope") == nil)
    }

    @Test func helpListsEveryCommand() {
        let text = Fixtures.renderer.human(.help(CommandSpec.all))
        for spec in CommandSpec.all {
            #expect(text.contains(spec.usage), "\(spec.command)")
            #expect(text.contains(spec.summary), "\(spec.command)")
        }
    }
}
