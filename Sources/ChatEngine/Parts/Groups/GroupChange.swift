/// What applying a newer version of a group changed, for the events.
struct GroupChange: Sendable {
    var old: GroupRecord?
    var new: GroupRecord

    var joined: [String] {
        new.memberIDs.filter { !(old?.contains($0) ?? false) }
    }

    var left: [String] {
        (old?.memberIDs ?? []).filter { !new.contains($0) }
    }
}
