/// What one argument of a slash-command is: it decides how Tab completes the argument and how the parser checks it.
public enum ArgumentKind: String, Sendable, Hashable, CaseIterable {
    /// Not completed and not checked (a password, a `KEY=VALUE` pair).
    case none
    /// A command name without its `/` (for `/help`).
    case command
    /// One of the user's friends; completed from the friend list.
    case friend
    /// Any user id; checked with `UserName.isValid`, not completed.
    case user
    /// A user whose friend request is open; completed from the open requests.
    case requester
    /// Free text; when it is the last argument it usually takes the rest of the line.
    case text
    /// A positive whole number.
    case number
    /// A number of seconds, decimals allowed (`0.5`).
    case seconds
    /// The name of an event of the `--json` output (for `/wait`).
    case eventName
    /// A path; completed from the file system, `~` expanded.
    case file
    /// A `#group` name.
    case group
    /// The name of a `/set` setting.
    case setting
    /// A value of the setting named by the argument before it.
    case settingValue
    /// A friend or a `#group`: where a message goes; completed from both.
    case conversation
    /// What `/group` does: `create`, `list`, `info`, `invite`, `leave` or `kick`.
    case groupAction
    /// The word `confirmed` (for `/verify`).
    case confirmation
}
