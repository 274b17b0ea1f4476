import Voice

/// The one call a user can be in, from the offer to the `End`.
struct Call {
    enum Phase {
        /// Our offer is out; the socket and candidates, key and audio wait for the answer.
        case ringingOut(transport: CallTransport, key: MediaKey, audio: CallAudio)
        /// The peer's offer waits for `/answer`: where its media can go, and its half of the key.
        case ringingIn(remote: CallPeerMedia, key: MediaKey)
        /// Answered: the probes look for the media's path (at most a second, then the relay).
        case connecting
        /// `media` runs the session in the login session's tree; `relay` is the call's TURN
        /// allocation, freed when the call ends.
        case active(session: MediaSession, media: SessionWork, path: CallPath, relay: CallRelay?)
        /// Our `End` is out; waiting for the peer's.
        case hangingUp
    }

    let peer: String
    /// The offer's `Id`, which every later envelope of the call names.
    let id: String
    /// The connection its signalling goes over; a punched one replaces a relayed one mid-call.
    var connection: PeerConnection
    var phase: Phase

    /// Whether this is `peer`'s offer, waiting to be answered here.
    func isRinging(from peer: String) -> Bool {
        if case .ringingIn = phase { self.peer == peer } else { false }
    }

    var summary: CallSummary {
        let phase: CallSummary.Phase = switch self.phase {
        case .ringingOut: .calling
        case .ringingIn: .ringing
        case .connecting, .active: .talking
        case .hangingUp: .hangingUp
        }
        return CallSummary(peer: peer, phase: phase)
    }
}
