import ChatIdentity

/// What the user and the connection are.
extension CommandSpec {
    static let statusCommands: [CommandSpec] = [whoami, status]

    public static let whoami = CommandSpec(
        name: "whoami",
        summary: "show your id, fingerprint, peer port and locator",
        help: """
            Shows the id you are logged in as, your certificate fingerprint (read it to a new \
            friend, who can compare it with the one their /requests shows), the port your peer node \
            listens on, and the locator you use. Example: /whoami
            """,
        action: .run { session in
            let engine = try session.requireEngine()
            session.show(
                .whoami(
                    user: engine.user, fingerprint: engine.fingerprint.hex, peerPort: await engine.peerPort,
                    locator: session.options.locatorDescription))
        })

    public static let status = CommandSpec(
        name: "status",
        summary: "show the connection, friends online and queued messages",
        help: """
            Shows whether you are logged in and connected to the locator, your peer port, how many \
            friends are online, and how many messages wait in the outbox for a receiver to come \
            online. It also counts the edits and deletes it refused because they came from someone \
            other than the message's author. Example: /status
            """,
        action: .run { session in try await session.status() })
}
