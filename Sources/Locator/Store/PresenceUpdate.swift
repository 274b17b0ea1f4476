/// What the shared presence log hands a replica: the changes after the last one it read, or,
/// when it cannot know what it missed (it is new, or was away longer than the log keeps), who is
/// online now, in full; and who holds the users a snapshot put in doubt.
enum PresenceUpdate: Sendable, Equatable {
    /// In the log's order.
    case changes([PresenceChange])
    /// Everyone online on any replica, this one's own users marked; whoever is not in it is offline.
    case snapshot([PresenceChange])
    /// This replica's users that a snapshot showed on another replica (see
    /// `PostgresPresenceLog.contest`), looked up once this replica's own queued changes were in:
    /// those in `elsewhere` another replica still holds, so their login there is the newer one;
    /// the others stay here.
    case contested([String], elsewhere: Set<String>)
}
