/// Friends and friend requests.
extension CommandSpec {
    static let friendCommands: [CommandSpec] = [add, requests, accept, reject, friends, verify, remove]

    public static let add = CommandSpec(
        name: "add", arguments: "ID",
        summary: "send a friend request to ID",
        help: """
            Sends a friend request to ID. If ID is online, ID gets it at once; if not, it is queued, \
            kept across restarts, and goes out when ID is next online. The request stays open (see \
            /requests) until ID answers. When ID accepts, you become friends and see each other come \
            and go. If ID has already asked you, this accepts their request. Example: /add bob
            """,
        completion: [.user], minimumArguments: 1, maximumArguments: 1,
        action: .run({ words in words[0] }) { session, peer in try await session.addFriend(peer) })

    public static let requests = CommandSpec(
        name: "requests",
        summary: "list open friend requests, to you and from you",
        help: """
            Lists the friend requests you have not answered, with the certificate fingerprint each \
            requester presented (compare it with the one your friend reads to you from /whoami), \
            and the requests you sent that are still open. Requests survive restarts. Answer with \
            /accept ID or /reject ID. Example: /requests
            """,
        action: .run { session in
            let requests = try await session.requireEngine().requests()
            session.show(.requests(incoming: requests.incoming, outgoing: requests.outgoing))
        })

    public static let accept = CommandSpec(
        name: "accept", arguments: "ID",
        summary: "accept the friend request from ID",
        help: """
            Accepts the friend request from ID and pins the fingerprint ID presented: from then on a \
            peer that claims to be ID with another certificate is refused, and you see a security \
            warning. If ID is offline now, ID learns of it the next time it asks. \
            Example: /accept bob
            """,
        completion: [.requester], minimumArguments: 1, maximumArguments: 1,
        action: .run({ words in words[0] }) { session, peer in try await session.requireEngine().acceptFriend(peer) })

    public static let reject = CommandSpec(
        name: "reject", arguments: "[ID]",
        summary: "reject the friend request from ID, or the call that rings",
        help: """
            Deletes the friend request from ID without telling ID. Later requests from ID are \
            ignored, unless you ask ID yourself with /add. While a call rings (from ID, when given), \
            declines the call instead: the caller sees it rejected. \
            Example: /reject bob
            """,
        completion: [.requester], maximumArguments: 1,
        action: .run({ words in words.optional(0) }) { session, peer in try await session.reject(peer) })

    public static let friends = CommandSpec(
        name: "friends",
        summary: "list friends, who is online, unread messages",
        help: """
            Lists your friends, whether each is online, the path of an open connection to them (lan, \
            direct, punched or relayed, with its round trip), and how many of their messages you have not \
            read yet; /history ID shows them and marks them read. Example: /friends
            """,
        action: .run { session in session.show(.friends(try await session.requireEngine().friends())) })

    public static let verify = CommandSpec(
        name: "verify", arguments: "ID [confirmed]",
        summary: "compare safety numbers with ID; confirmed marks ID verified",
        help: """
            Shows the safety number of you and ID: sixty digits made from both your keys, the same \
            on both sides. Read it to each other by voice or in person; if it is the same, \
            /verify ID confirmed marks ID verified (shown in /friends and the prompt). If ID presented \
            a new key since (a new identity, or someone impersonating them: you got a security \
            warning and nothing was sent), the new key's number is shown, and confirming accepts \
            that key: what waited for ID goes out. Example: /verify bob
            """,
        completion: [.friend, .confirmation], minimumArguments: 1, maximumArguments: 2,
        action: .run({ words in (peer: words[0], confirmed: words.optional(1) != nil) }) { session, request in
            let engine = try session.requireEngine()
            let verification = request.confirmed
                ? try await engine.confirmVerification(of: request.peer) : try await engine.verification(of: request.peer)
            session.show(.verification(verification))
            if request.confirmed {
                session.show(.info("\(request.peer) is verified"))
                await session.refreshFriends()
            }
        })

    public static let remove = CommandSpec(
        name: "remove", arguments: "ID",
        summary: "remove ID from your friends",
        help: """
            Removes ID from your friends and forgets its pinned fingerprint; ID is told if it is \
            online. Your message history with ID is kept. Example: /remove bob
            """,
        completion: [.friend], minimumArguments: 1, maximumArguments: 1,
        action: .run({ words in words[0] }) { session, peer in try await session.removeFriend(peer) })
}
