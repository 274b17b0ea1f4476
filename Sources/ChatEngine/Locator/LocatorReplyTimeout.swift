/// The oldest request went unanswered too long: the connection counts as lost.
struct LocatorReplyTimeout: Swift.Error, CustomStringConvertible {
    var request: String
    var timeout: Duration

    var description: String { "no answer to \(request) within \(timeout)" }
}
