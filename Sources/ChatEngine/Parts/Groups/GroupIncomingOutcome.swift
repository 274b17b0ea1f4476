/// What storing a received group text did.
enum GroupIncomingOutcome: Sendable, Equatable {
    /// Stored: the next text of its sender.
    case stored
    /// Stored already (the sender did not get our `Ack`): ack it again.
    case duplicate
    /// An earlier text of the sender is missing: not stored, not acked; the sender resends in order.
    case outOfOrder
    /// We do not know the group yet (its announcement is still on its way): not stored, not acked.
    case unknownGroup
    /// The sender is not a member as far as we know: dropped.
    case notFromMember
    /// We are no longer in the group: acked so the sender stops, not stored.
    case notMember
}
