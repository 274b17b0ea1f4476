/// Stops the run with `message` when `condition` is false. Unlike `precondition`, whose message
/// an optimised build drops, this says in the fuzzer's log which rule the input broke.
public func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError(message(), file: file, line: line) }
}
