/// Logging in and out, and asking the locator.
extension CommandSpec {
    static let sessionCommands: [CommandSpec] = [login, logout, query]

    public static let login = CommandSpec(
        name: "login", arguments: "ID [PASSWORD]",
        summary: "log in as ID, registering ID on first use",
        help: """
            Logs in to the locator as ID and starts listening for peers, so that friends see you \
            online and can reach you. The first login with a new ID registers it with PASSWORD; \
            later logins must give the same password. Without PASSWORD the shell asks for it without \
            echoing it; in a script it is read from the P2PCHAT_PASSWORD environment variable. \
            PASSWORD is the rest of the line, spaces included. Messages queued while you were away \
            are sent as soon as their receivers are online. Example: /login alice
            """,
        completion: [.user, .none], minimumArguments: 1, maximumArguments: 2, takesRestOfLine: true,
        action: .run({ words in (user: words[0], password: words.optional(1)) }) { session, login in
            try await session.login(login.user, password: login.password)
        })

    public static let logout = CommandSpec(
        name: "logout",
        summary: "log out; undelivered messages stay queued",
        help: """
            Logs out of the locator and closes every connection to peers; your friends see you go \
            offline. Messages not yet delivered stay in the outbox and are sent after your next \
            /login. Example: /logout
            """,
        action: .run { session in
            _ = try session.requireEngine()
            await session.logoutEngine()
        })

    public static let query = CommandSpec(
        name: "query", arguments: "ID",
        summary: "show whether ID is online, and where",
        help: """
            Asks the locator whether ID is online and, if so, at which address and port its peer \
            node listens and which certificate fingerprint it presents, and, while a connection to ID \
            is open, its path (lan, direct, punched or relayed) and round trip. Works for any user, not only \
            friends; needs a login. Example: /query bob
            """,
        completion: [.user], minimumArguments: 1, maximumArguments: 1,
        action: .run({ words in words[0] }) { session, id in
            let engine = try session.requireEngine()
            let address = try await engine.query(id)
            session.show(.query(id: id, address: address, path: address == nil ? nil : await engine.path(to: id)))
        })
}
