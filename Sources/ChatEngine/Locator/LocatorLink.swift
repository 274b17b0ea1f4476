/// One connection to the locator. Its lines go out through `outgoing`, in the order they were
/// yielded; a task of its own (`runLink`) writes them, reads the answers, and keeps it alive.
struct LocatorLink: Sendable {
    let id: Int
    let outgoing: AsyncStream<String>.Continuation
}
