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
                    Sends a friend request to ID. If ID is online, ID gets it at once; if not, it is queued, \
                    kept across restarts, and goes out when ID is next online. The request stays open (see \
                    /requests) until ID answers. When ID accepts, you become friends and see each other come \
                    and go. If ID has already asked you, this accepts their request. Example: /add bob
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
                name: self, arguments: "[ID]",
                summary: "reject the friend request from ID, or the call that rings",
                help: """
                    Deletes the friend request from ID without telling ID. Later requests from ID are \
                    ignored, unless you ask ID yourself with /add. While a call rings (from ID, when given), \
                    declines the call instead: the caller sees it rejected. \
                    Example: /reject bob
                    """,
                completion: [.requester], maximumArguments: 1)
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
        case .me:
            CommandSpec(
                name: self, arguments: "ACTION",
                summary: "say what you do, as * you ACTION",
                help: """
                    Sends ACTION, the rest of the line, to the current conversation as an action: /me waves \
                    shows as * alice waves on both sides. It is delivered, stored and searched like any \
                    message. Needs a conversation: /chat ID first. Example: /me waves
                    """,
                completion: [.text], minimumArguments: 1, maximumArguments: 1, takesRestOfLine: true)
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
        case .file:
            CommandSpec(
                name: self, arguments: "ID PATH",
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
                completion: [.friend, .file], minimumArguments: 2, maximumArguments: 2, takesRestOfLine: true)
        case .files:
            CommandSpec(
                name: self,
                summary: "list file transfers, newest first",
                help: """
                    Lists file transfers, newest first: the number that /get, /decline and /cancel take, \
                    the direction, the friend, the name, the size, how far it got, the speed of a running one \
                    and its state (offered, waiting, sending, receiving, paused, done, declined, cancelled, \
                    failed). Example: /files
                    """)
        case .get:
            CommandSpec(
                name: self, arguments: "N [DIR]",
                summary: "accept file offer N, into DIR",
                help: """
                    Accepts the file offered as transfer N (see /files) and receives it into DIR, or into \
                    the downloads directory (--downloads). The file is written as NAME.part and gets its name \
                    only once its SHA-256 matches the sender's; a name that is taken gets " (1)", " (2)", and \
                    so on. Example: /get 3
                    """,
                completion: [.number, .file], minimumArguments: 1, maximumArguments: 2)
        case .decline:
            CommandSpec(
                name: self, arguments: "N",
                summary: "decline file offer N",
                help: """
                    Declines the file offered as transfer N; the sender is told. Example: /decline 3
                    """,
                completion: [.number], minimumArguments: 1, maximumArguments: 1)
        case .cancel:
            CommandSpec(
                name: self, arguments: "N",
                summary: "stop file transfer N, sending or receiving",
                help: """
                    Stops transfer N, whichever side you are on; the other side is told and shows it. A \
                    download's NAME.part is removed. Example: /cancel 3
                    """,
                completion: [.number], minimumArguments: 1, maximumArguments: 1)
        case .group:
            CommandSpec(
                name: self, arguments: "ACTION [#GROUP] [ID ...]",
                summary: "make, list, inspect, grow, leave or shrink groups",
                help: """
                    /group create NAME ID... makes a group of you and the friends ID (at least one); a \
                    second group with exactly the same members is refused. /group list shows your groups \
                    with members online and unread messages. /group info #GROUP shows its members, each \
                    online or not, whether they have the group yet and how many of your texts they have not \
                    got yet; for a group you left, when you left it. Your line in a group shows (queued for N) \
                    while no member has it yet. /group invite #GROUP ID (owner only) \
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
        case .away:
            CommandSpec(
                name: self, arguments: "[REASON]",
                summary: "mark yourself away, or back",
                help: """
                    With REASON, marks you away: your friends are told (directly, not through the locator), \
                    see it in /friends, and someone who messages you is told once that you are away. The \
                    prompt shows (away). Without REASON, marks you back. Example: /away lunch, back at two
                    """,
                completion: [.text], maximumArguments: 1, takesRestOfLine: true)
        case .call:
            CommandSpec(
                name: self, arguments: "[ID]",
                summary: "call the friend ID, or show how the call goes",
                help: """
                    Calls the friend ID: ID's side rings for at most 30 seconds. ID answers with /answer or \
                    declines with /reject; a friend already in a call answers busy. Calling the friend whose \
                    call rings here answers it, and two friends who call each other at once get one call. \
                    Audio is Opus over \
                    encrypted UDP, from --audio-in to --audio-out (a sound card, or file:PATH.wav). In a \
                    script /call returns once the call is answered, rejected or unanswered. During a call, \
                    /call alone shows its length, the kbit/s each way, loss, jitter, round-trip time and \
                    jitter-buffer depth. Example: /call bob
                    """,
                completion: [.friend], maximumArguments: 1)
        case .answer:
            CommandSpec(
                name: self, arguments: "[ID]",
                summary: "answer the call that rings",
                help: """
                    Answers the call that rings (from ID, when given): audio flows both ways until one side \
                    hangs up with /hangup. Example: /answer alice
                    """,
                completion: [.friend], maximumArguments: 1)
        case .hangup:
            CommandSpec(
                name: self,
                summary: "end the call, or stop calling",
                help: """
                    Ends the call in progress: the other side is told (End) and its call ends too. While your \
                    call still rings, stops it. Example: /hangup
                    """)
        case .set:
            CommandSpec(
                name: self, arguments: "[NAME [VALUE]]",
                summary: "show or change a setting",
                help: """
                    Without NAME, lists the settings and their values; with NAME, shows one; with NAME and \
                    VALUE, changes it. Settings are kept per user, in the file settings in the user's data \
                    directory. The one setting is bell: off never rings the terminal's bell; mentions (the \
                    default) rings it for a message from someone other than the current conversation, or one \
                    that mentions your id; all rings it for every message. Example: /set bell all
                    """,
                completion: [.setting, .settingValue], maximumArguments: 2)
        case .clear:
            CommandSpec(
                name: self,
                summary: "clear the screen",
                help: """
                    Clears the terminal, keeping the prompt and the line being typed; in a script it does \
                    nothing. Ctrl-L does the same. Example: /clear
                    """)
        case .help:
            CommandSpec(
                name: self, arguments: "[COMMAND|keys]",
                summary: "list the commands, or explain COMMAND, or list the keys",
                help: """
                    Without COMMAND, lists every command with a one-line summary. With COMMAND (with or \
                    without its /), shows its usage and what it does. /help keys lists the key bindings of \
                    the prompt. Example: /help msg
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
