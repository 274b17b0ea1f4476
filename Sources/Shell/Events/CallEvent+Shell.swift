import ChatEngine
import Foundation

/// Calls ringing, starting and ending, and the figures of one in progress.
extension CallEvent: ShellEvent {
    static let kinds: [OutputKind] = [.callIncoming, .callRinging, .callStarted, .callEnded, .callStats]

    var shown: ShownEvent {
        switch self {
        case .incoming(let from):
            ShownEvent(.callIncoming, ["peer": .string(from), "from": .string(from)]) {
                [$0.alert("\($0.nick(from)) is calling: /answer or /reject")]
            }
        case .ringing(let peer):
            ShownEvent(.callRinging, ["peer": .string(peer)]) { [$0.notice("calling \($0.nick(peer))… (/hangup to stop)")] }
        case .started(let peer, let path):
            ShownEvent(.callStarted, ["peer": .string(peer), "path": .string(path.rawValue)]) {
                [$0.notice("in a call with \($0.nick(peer)) (\(path.rawValue)): /call shows how it goes, /hangup ends it")]
            }
        case .ended(let peer, let reason, let duration):
            ShownEvent(
                .callEnded,
                ["peer": .string(peer), "reason": .string(reason.rawValue), "duration": .number(Int(duration.components.seconds))]
            ) {
                [
                    $0.notice(
                        "call with \($0.nick(peer)) ended: \(reason.rawValue)"
                            + (duration > .zero ? " after \(OutputRenderer.clock(duration))" : ""))
                ]
            }
        case .stats(let call):
            ShownEvent(
                .callStats,
                [
                    "peer": .string(call.peer), "path": .string(call.path.rawValue),
                    "duration": .number(Int(call.duration.components.seconds)),
                    "sent_kbps": .number(Int(call.sentKilobitsPerSecond.rounded())),
                    "received_kbps": .number(Int(call.receivedKilobitsPerSecond.rounded())),
                    "loss_percent": .number(Int((call.loss * 100).rounded())), "jitter_ms": .number(call.jitter.milliseconds),
                    "rtt_ms": JSONValue(call.roundTripTime?.milliseconds),
                    "buffer_ms": .number(call.jitterBufferDepth.milliseconds),
                    "echo_cancellation": .bool(call.echoCancellation),
                ]
            ) {
                [
                    $0.notice(
                        "call with \($0.nick(call.peer)) (\(call.path.rawValue)): \(OutputRenderer.clock(call.duration)), "
                            + "\(Int(call.sentKilobitsPerSecond.rounded())) kbit/s out, "
                            + "\(Int(call.receivedKilobitsPerSecond.rounded())) kbit/s in, "
                            + "loss \(String(format: "%.1f", call.loss * 100))%, jitter \(call.jitter.milliseconds) ms, "
                            + "rtt \(call.roundTripTime.map { "\($0.milliseconds) ms" } ?? "?"), "
                            + "buffer \(call.jitterBufferDepth.milliseconds) ms, "
                            + "echo cancellation \(call.echoCancellation ? "on" : "off")")
                ]
            }
        }
    }
}

extension OutputKind {
    /// `peer` and `from` are both the caller (`/wait call_incoming from=alice`).
    static let callIncoming = OutputKind("call_incoming", fields: ["peer", "from"])
    /// Your call rings at `peer`'s side.
    static let callRinging = OutputKind("call_ringing", fields: ["peer"])
    /// `path` is how this side's audio goes: `lan`, `direct`, `punched` (through a NAT hole both
    /// sides' probes opened) or `relayed` (through the TURN relay).
    static let callStarted = OutputKind("call_started", fields: ["peer", "path"])
    /// `reason` is one of ``CallEndReason``'s; `duration` is whole seconds talked.
    static let callEnded = OutputKind("call_ended", fields: ["peer", "reason", "duration"])
    /// Printed on `/call` during a call; `path` as in `call_started`, `rtt_ms` is `null` before the first measurement, `buffer_ms`
    /// the jitter-buffer depth, `echo_cancellation` whether your microphone is cleaned of the peer's echo.
    static let callStats = OutputKind(
        "call_stats",
        fields: ["peer", "path", "duration", "sent_kbps", "received_kbps", "loss_percent", "jitter_ms", "rtt_ms", "buffer_ms", "echo_cancellation"])
}
