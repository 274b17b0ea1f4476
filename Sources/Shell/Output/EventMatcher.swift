/// Decides whether an output is what a `/wait` waits for: its JSON `"event"` equals the condition's
/// event, and each of the condition's fields equals the JSON field of that name in its text form
/// (a string as itself, `true`/`false`, a number in decimal, `null`; arrays and objects as their JSON).
/// A field the output does not have never matches.
public struct EventMatcher: Sendable, Hashable {
    public let condition: WaitCondition

    public init(_ condition: WaitCondition) {
        self.condition = condition
    }

    public func matches(_ output: ShellOutput) -> Bool {
        guard output.kind.name == condition.event else { return false }
        let object = output.jsonObject
        return condition.fields.allSatisfy { key, value in object[key]?.text == value }
    }
}
