/// The shell itself: settings, the screen, help, quitting.
extension CommandSpec {
    static let shellCommands: [CommandSpec] = [set, clear, help, quit]

    public static let set = CommandSpec(
        name: "set", arguments: "[NAME [VALUE]]",
        summary: "show or change a setting",
        help: """
            Without NAME, lists the settings and their values; with NAME, shows one; with NAME and \
            VALUE, changes it. Settings are kept per user, in the file settings in the user's data \
            directory. bell: off never rings the terminal's bell; mentions (the default) rings it for \
            a message from someone other than the current conversation, or one that mentions your \
            id; all rings it for every message. notify: the same choices for a desktop notification \
            through the terminal (OSC 777 and OSC 9; inside tmux, with its allow-passthrough \
            option on). aec: on (the default) cleans a sound card's \
            microphone of the caller's voice coming back from your speaker, and of steady noise, \
            from the next call on; off sends it as it is (a headset needs none). receipts: on tells \
            friends who turned it on too how far you have read their messages (what you saw in \
            their conversation in front), and shows in /history how far they read yours; off (the \
            default) tells and shows nothing. typing: on shows friends who turned it on too that \
            you type in their conversation, and shows them typing in yours (the prompt reads \
            [you→them …]); off (the default) does neither. Neither goes to a group. keep-edits: off (the \
            default) lets an edit or delete replace the old text in your store, search included; on \
            keeps it. Example: /set bell all
            """,
        completion: [.setting, .settingValue], maximumArguments: 2,
        action: .run({ words in (name: words.optional(0), value: words.optional(1)) }) { session, setting in
            try await session.set(setting.name, to: setting.value)
        })

    public static let clear = CommandSpec(
        name: "clear",
        summary: "clear the screen",
        help: """
            Clears the terminal, keeping the prompt and the line being typed; in a script it does \
            nothing. Ctrl-L does the same. Example: /clear
            """,
        action: .run { session in session.sink.perform(.clear) })

    public static let help = CommandSpec(
        name: "help", arguments: "[COMMAND|keys]",
        summary: "list the commands, or explain COMMAND, or list the keys",
        help: """
            Without COMMAND, lists every command with a one-line summary. With COMMAND (with or \
            without its /), shows its usage and what it does. /help keys lists the key bindings of \
            the prompt. Example: /help msg
            """,
        completion: [.command], maximumArguments: 1,
        action: .run({ words in HelpTopic(words.optional(0)) }) { session, topic in session.help(topic) })

    public static let quit = CommandSpec(
        name: "quit",
        summary: "log out and exit",
        help: """
            Logs out and exits. Undelivered messages stay queued on disk and are sent after the \
            next /login. Ctrl-D on an empty line does the same, and so does the end of a script. \
            Example: /quit
            """,
        // The session ends when it sees /quit: the action has nothing left to do.
        action: .run { _ in })
}
