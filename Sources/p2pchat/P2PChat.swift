import ArgumentParser
import Benchmarks

@main
struct P2PChat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2pchat",
        abstract: "Peer-to-peer chat for the terminal.",
        discussion: """
            A locator server knows who is online and where; friend requests and messages travel \
            directly between peers over mutual TLS.
            """,
        version: "0.1.0",
        subcommands: [Chat.self, Locator.self, Echo.self, Send.self, File.self, Status.self, Bench.self],
        defaultSubcommand: Chat.self
    )
}
