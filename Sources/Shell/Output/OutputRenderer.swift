import ChatEngine
import ChatWire
import Foundation

/// Turns a ``ShellOutput`` into what the shell prints: irssi-like lines for people, or one line of JSON.
///
/// Human text never ends in a newline; several lines are separated by `\n`. Everything a peer or the
/// network supplied is passed through ``SafeText`` first, and ANSI colour is added only when `color`
/// is true. Times are local: `HH:mm` today, `yyyy-MM-dd HH:mm` on other days.
public struct OutputRenderer: Sendable {
    public var color: Bool
    /// The logged-in user, whose own lines are drawn differently and whose id is highlighted in messages.
    public var me: String?
    /// The current conversation: your own lines to anyone else show whom they went to (`<alice→carol>`).
    public var conversation: String?
    /// The terminal's width: long messages wrap at word boundaries, indented under their text. `nil` leaves
    /// wrapping to the terminal (scripts, pipes).
    public var width: Int?
    public var timeZone: TimeZone
    let now: @Sendable () -> Date

    public init(
        color: Bool,
        me: String?,
        conversation: String? = nil,
        width: Int? = nil,
        timeZone: TimeZone = .current,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.color = color
        self.me = me
        self.conversation = conversation
        self.width = width
        self.timeZone = timeZone
        self.now = now
    }

    /// One JSON object on one line, keys sorted; the events and fields are listed on ``OutputKind``.
    public func json(_ output: ShellOutput) -> String {
        JSONValue.object(output.jsonObject).encoded
    }
}
