extension CommandName {
    /// The table entry for this command. The switch is exhaustive, so a new case cannot lack one.
    public var spec: CommandSpec {
        switch self {
        case .login:
            CommandSpec(
                name: self, arguments: "ID [PASSWORD]",
                summary: "log in as ID, registering ID on first use",
                help: """
                    Logs in to the locator as ID and starts listening for peers, so that friends see you \
                    online and can reach you. The first login with a new ID registers it with PASSWORD; \
                    later logins must give the same password. Without PASSWORD the shell asks for it without \
                    echoing it; in a script it is read from the P2PCHAT_PASSWORD environment variable. \
                    PASSWORD is the rest of the line, spaces included. Messages queued while you were away \
                    are sent as soon as their receivers are online. Example: /login alice
                    """,
                completion: [.user, .none], minimumArguments: 1, maximumArguments: 2, takesRestOfLine: true)
        case .logout:
            CommandSpec(
                name: self,
                summary: "log out; undelivered messages stay queued",
                help: """
                    Logs out of the locator and closes every connection to peers; your friends see you go \
                    offline. Messages not yet delivered stay in the outbox and are sent after your next \
                    /login. Example: /logout
                    """)
        case .query:
            CommandSpec(
                name: self, arguments: "ID",
                summary: "show whether ID is online, and where",
                help: """
                    Asks the locator whether ID is online and, if so, at which address and port its peer \
                    node listens and which certificate fingerprint it presents. Works for any user, not only \
                    friends; needs a login. Example: /query bob
                    """,
                completion: [.user], minimumArguments: 1, maximumArguments: 1)
        case .add:
            CommandSpec(
                name: self, arguments: "ID",
                summary: "send a friend request to ID",
                help: """
                    Sends a friend request directly to ID's peer node, so ID must be online; if ID is \
                    offline you are told so, and can try again later. The request stays open (see \
                    /requests) and is sent again whenever ID comes online. When ID accepts, you become \
                    friends and see each other come and go. If ID has already asked you, this accepts \
                    their request. Example: /add bob
                    """,
                completion: [.user], minimumArguments: 1, maximumArguments: 1)
        case .requests:
            CommandSpec(
                name: self,
                summary: "list open friend requests, to you and from you",
                help: """
                    Lists the friend requests you have not answered, with the certificate fingerprint each \
                    requester presented (compare it with the one your friend reads to you from /whoami), \
                    and the requests you sent that are still open. Requests survive restarts. Answer with \
                    /accept ID or /reject ID. Example: /requests
                    """)
        case .accept:
            CommandSpec(
                name: self, arguments: "ID",
                summary: "accept the friend request from ID",
                help: """
                    Accepts the friend request from ID and pins the fingerprint ID presented: from then on a \
                    peer that claims to be ID with another certificate is refused, and you see a security \
                    warning. If ID is offline now, ID learns of it the next time it asks. \
                    Example: /accept bob
                    """,
                completion: [.requester], minimumArguments: 1, maximumArguments: 1)
        case .reject:
            CommandSpec(
                name: self, arguments: "ID",
                summary: "reject the friend request from ID",
                help: """
                    Deletes the friend request from ID without telling ID. Later requests from ID are \
                    ignored, unless you ask ID yourself with /add. \
                    Example: /reject bob
                    """,
                completion: [.requester], minimumArguments: 1, maximumArguments: 1)
        case .friends:
            CommandSpec(
                name: self,
                summary: "list friends, who is online, unread messages",
                help: """
                    Lists your friends, whether each is online, and how many of their messages you have not \
                    read yet; /history ID shows them and marks them read. Example: /friends
                    """)
        case .remove:
            CommandSpec(
                name: self, arguments: "ID",
                summary: "remove ID from your friends",
                help: """
                    Removes ID from your friends and forgets its pinned fingerprint; ID is told if it is \
                    online. Your message history with ID is kept. Example: /remove bob
                    """,
                completion: [.friend], minimumArguments: 1, maximumArguments: 1)
        case .msg:
            CommandSpec(
                name: self, arguments: "ID TEXT",
                summary: "send TEXT to your friend ID, or to every member of #GROUP",
                help: """
                    Sends TEXT, the rest of the line with its spaces, to ID, who must be your friend. The \
                    command finishes when ID has stored the message (delivered) or, after a few seconds \
                    without an answer, when the message is queued: a queued message is kept on disk and \
                    sent whenever ID is reachable, also after a restart. With #GROUP instead of ID, TEXT goes \
                    to every other member of the group, also those offline, each exactly once; the command \
                    finishes at once with the text queued. Example: /msg bob see you at ten
                    """,
                completion: [.conversation, .text], minimumArguments: 2, maximumArguments: 2, takesRestOfLine: true)
        case .chat:
            CommandSpec(
                name: self, arguments: "[ID]",
                summary: "talk to ID: lines not starting with / go to ID",
                help: """
                    Makes ID the current conversation: every line that does not start with / is sent to ID, \
                    as with /msg ID. To send a line that starts with /, write it with //. Without ID, \
                    leaves the current conversation. /chat #GROUP talks to a group. Example: /chat bob
                    """,
                completion: [.conversation], maximumArguments: 1)
        case .history:
            CommandSpec(
                name: self, arguments: "[ID] [N]",
                summary: "show the last N messages with ID",
                help: """
                    Shows the last N messages (default \(CommandLineParser.defaultHistoryCount), at most \
                    \(CommandLineParser.maximumHistoryCount)) exchanged with ID, oldest first, and marks \
                    them read; your own undelivered ones are marked queued. Without ID, shows the current \
                    conversation; a lone number is N, so /history 50 shows the last 50 messages of the \
                    current conversation (for a user whose id is a short number, give both: /history 42 20). \
                    With #GROUP, shows the group's messages; yours not yet delivered to every member are \
                    marked queued. Example: /history bob 50
                    """,
                completion: [.conversation, .number], maximumArguments: 2)
        case .search:
            CommandSpec(
                name: self, arguments: "TEXT",
                summary: "search all conversations for TEXT",
                help: """
                    Searches every stored message, in all conversations and groups, and shows the most recent matches, \
                    oldest first. Every word of TEXT must occur, in any order and any case, and a word also \
                    matches longer words it starts: /search meet finds "meeting at noon". \
                    Example: /search meet noon
                    """,
                completion: [.text], minimumArguments: 1, maximumArguments: 1, takesRestOfLine: true)
        case .group:
            CommandSpec(
                name: self, arguments: "ACTION [#GROUP] [ID ...]",
                summary: "make, list, inspect, grow, leave or shrink groups",
                help: """
                    /group create NAME ID... makes a group of you and the friends ID (at least one); a \
                    second group with exactly the same members is refused. /group list shows your groups \
                    with members online and unread messages. /group info #GROUP shows its members, each \
                    online or not and whether they have the group yet. /group invite #GROUP ID (owner only) \
                    adds a friend; /group kick #GROUP ID (owner only) removes a member; /group leave \
                    #GROUP leaves, and an owner leaving hands the group to the oldest remaining member. \
                    Every member learns of each change, also those offline, when they are back. Members \
                    need not be friends of each other. Two groups may have one name: they show as \
                    #NAME~XXXX, with the start of the group's id. Example: /group create team bob carol
                    """,
                completion: [.groupAction, .group, .friend], minimumArguments: 1, maximumArguments: nil)
        case .whoami:
            CommandSpec(
                name: self,
                summary: "show your id, fingerprint, peer port and locator",
                help: """
                    Shows the id you are logged in as, your certificate fingerprint (read it to a new \
                    friend, who can compare it with the one their /requests shows), the port your peer node \
                    listens on, and the locator you use. Example: /whoami
                    """)
        case .status:
            CommandSpec(
                name: self,
                summary: "show the connection, friends online and queued messages",
                help: """
                    Shows whether you are logged in and connected to the locator, your peer port, how many \
                    friends are online, and how many messages wait in the outbox for a receiver to come \
                    online. Example: /status
                    """)
        case .help:
            CommandSpec(
                name: self, arguments: "[COMMAND]",
                summary: "list the commands, or explain COMMAND",
                help: """
                    Without COMMAND, lists every command with a one-line summary. With COMMAND (with or \
                    without its /), shows its usage and what it does. Example: /help msg
                    """,
                completion: [.command], maximumArguments: 1)
        case .quit:
            CommandSpec(
                name: self,
                summary: "log out and exit",
                help: """
                    Logs out and exits. Undelivered messages stay queued on disk and are sent after the \
                    next /login. Ctrl-D on an empty line does the same, and so does the end of a script. \
                    Example: /quit
                    """)
        case .wait:
            CommandSpec(
                name: self, arguments: "EVENT [KEY=VALUE ...] [timeout=SECONDS]",
                summary: "wait for an event (scripts)",
                help: """
                    Waits until an event called EVENT arrives whose fields equal every KEY=VALUE given, and \
                    fails after timeout SECONDS (default 30). Events and their fields are those of the \
                    --json output: message (from, to, text, id, ...), presence (id, online), friend_request \
                    (from, fingerprint), friend_added (id), delivered (to, id), and so on. A value is \
                    compared with the field as text (online=true, unread=3); put double quotes around a \
                    value with spaces: text="see you". \
                    Example: /wait message from=bob text="hi alice" timeout=10
                    """,
                completion: [.eventName, .none], minimumArguments: 1, maximumArguments: nil, section: .script)
        case .sleep:
            CommandSpec(
                name: self, arguments: "SECONDS",
                summary: "pause for SECONDS (scripts)",
                help: """
                    Pauses for SECONDS, a number that may have decimals, at most a day; events keep \
                    arriving meanwhile. Example: /sleep 0.5
                    """,
                completion: [.seconds], minimumArguments: 1, maximumArguments: 1, section: .script)
        }
    }
}
