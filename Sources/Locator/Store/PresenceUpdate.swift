/// What the shared presence log hands a replica: the changes after the last one it read, or,
/// when it cannot know what it missed (it is new, or was away longer than the log keeps), who is
/// online now, in full.
enum PresenceUpdate: Sendable, Equatable {
    /// In the log's order.
    case changes([PresenceChange])
    /// Everyone online on any replica, this one's own users marked; whoever is not in it is offline.
    case snapshot([PresenceChange])
}
