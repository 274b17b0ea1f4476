/// The command table: each feature's commands, in the order `/help` and the man page list them.
/// A new command is a row in its feature's file in `Table/`; a new feature's file is one line here.
enum CommandTable {
    static let all: [CommandSpec] =
        CommandSpec.sessionCommands + CommandSpec.friendCommands + CommandSpec.messageCommands + CommandSpec.changeCommands
        + CommandSpec.fileCommands + CommandSpec.groupCommands + CommandSpec.statusCommands
        + CommandSpec.awayCommands + CommandSpec.callCommands + CommandSpec.shellCommands
        + CommandSpec.scriptCommands
}
