/// Which sequence numbers have been accepted, over a sliding window of the last 64 (as in
/// IPsec and WireGuard): a duplicate, or anything older than the window, is refused.
///
/// Only datagrams that opened are shown to it, so a forger cannot move the window.
struct ReplayWindow {
    static let size: UInt32 = 64

    private var highest: UInt32?
    private var seen: UInt64 = 0

    /// True the first time `sequence` is seen within the window; false for a replay or a
    /// datagram too old to tell.
    mutating func accept(_ sequence: UInt32) -> Bool {
        guard let highest else {
            self.highest = sequence
            seen = 1
            return true
        }
        if sequence > highest {
            let shift = sequence - highest
            seen = shift >= Self.size ? 1 : seen << UInt64(shift) | 1
            self.highest = sequence
            return true
        }
        let age = highest - sequence
        guard age < Self.size else { return false }
        let bit: UInt64 = 1 << UInt64(age)
        guard seen & bit == 0 else { return false }
        seen |= bit
        return true
    }
}
