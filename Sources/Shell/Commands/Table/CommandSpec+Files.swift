/// File transfers.
extension CommandSpec {
    static let fileCommands: [CommandSpec] = [file, files, get, decline, cancel]

    public static let file = CommandSpec(
        name: "file", arguments: "ID PATH",
        summary: "send the file at PATH to your friend ID",
        help: """
            Offers the file at PATH (the rest of the line, spaces included) to ID, who must be your \
            friend. ID's client takes files up to its --auto-accept size by itself and asks for \
            bigger ones (/get). The bytes are verified with SHA-256 on arrival; a transfer that is \
            interrupted (a lost connection, a restart of either side) goes on from where it stopped \
            once both are online again. At a terminal a progress line shows the speed and the time \
            left; in a script the command returns when the file has arrived, or at once when ID is \
            offline (the offer then goes when ID comes online). Example: /file bob ~/photos/cat.jpg
            """,
        completion: [.friend, .file], minimumArguments: 2, maximumArguments: 2, takesRestOfLine: true,
        action: .run({ words in (to: words[0], path: words[1]) }) { session, file in
            try await session.sendFile(file.path, to: file.to)
        })

    public static let files = CommandSpec(
        name: "files",
        summary: "list file transfers, newest first",
        help: """
            Lists file transfers, newest first: the number that /get, /decline and /cancel take, \
            the direction, the friend, the name, the size, how far it got, the speed of a running one \
            and its state (offered, waiting, sending, receiving, paused, done, declined, cancelled, \
            failed). Example: /files
            """,
        action: .run { session in session.show(.files(try await session.requireEngine().fileTransfers())) })

    public static let get = CommandSpec(
        name: "get", arguments: "N [DIR]",
        summary: "accept file offer N, into DIR",
        help: """
            Accepts the file offered as transfer N (see /files) and receives it into DIR, or into \
            the downloads directory (--downloads). The file is written as NAME.part and gets its name \
            only once its SHA-256 matches the sender's; a name that is taken gets " (1)", " (2)", and \
            so on. Example: /get 3
            """,
        completion: [.number, .file], minimumArguments: 1, maximumArguments: 2,
        action: .run({ words in (number: try words.number(0), directory: words.optional(1)) }) {
            session, offer in try await session.getFile(offer.number, into: offer.directory)
        })

    public static let decline = CommandSpec(
        name: "decline", arguments: "N",
        summary: "decline file offer N",
        help: """
            Declines the file offered as transfer N; the sender is told. Example: /decline 3
            """,
        completion: [.number], minimumArguments: 1, maximumArguments: 1,
        action: .run({ words in try words.number(0) }) { session, transfer in
            try await session.requireEngine().declineFile(transfer)
            session.show(.info("declined transfer \(transfer)"))
        })

    public static let cancel = CommandSpec(
        name: "cancel", arguments: "N",
        summary: "stop file transfer N, sending or receiving",
        help: """
            Stops transfer N, whichever side you are on; the other side is told and shows it. A \
            download's NAME.part is removed. Example: /cancel 3
            """,
        completion: [.number], minimumArguments: 1, maximumArguments: 1,
        action: .run({ words in try words.number(0) }) { session, transfer in
            try await session.requireEngine().cancelFile(transfer)
        })
}
