import ChatEngine
import Foundation

/// File offers, progress, and how each transfer ends.
extension TransferEvent: ShellEvent {
    static let kinds: [OutputKind] = [
        .fileOffer, .fileProgress, .fileReceived, .fileSent, .fileFailed, .fileRestarted, .fileCancelled,
    ]

    var shown: ShownEvent {
        switch self {
        case .offer(let transfer) where transfer.state == .offered:
            ShownEvent(.fileOffer, Self.fields(transfer, ["waiting": .bool(true)])) {
                [
                    $0.alert(
                        "\($0.nick(transfer.peer)) offers \($0.fileName(transfer)) (\(ByteCount.text(transfer.size))): "
                            + "/get \(transfer.number) or /decline \(transfer.number)")
                ]
            }
        case .offer(let transfer):
            ShownEvent(.fileOffer, Self.fields(transfer, ["waiting": .bool(false)])) {
                [
                    $0.notice(
                        "receiving \($0.fileName(transfer)) (\(ByteCount.text(transfer.size))) from \($0.nick(transfer.peer)) "
                            + "as transfer \(transfer.number)")
                ]
            }
        case .progress(let transfer, let rate):
            ShownEvent(
                .fileProgress,
                Self.fields(
                    transfer,
                    [
                        "direction": .string(transfer.direction.rawValue), "bytes": .number(Int(transfer.bytes)),
                        "percent": .number(ByteCount.percent(transfer.bytes, of: transfer.size)),
                        "bytes_per_second": .number(Int(rate)),
                    ])
            ) { _ in [OutputRenderer.progressLine(transfer, bytesPerSecond: rate)] }
        case .received(let transfer):
            ShownEvent(
                .fileReceived, Self.fields(transfer, ["path": JSONValue(transfer.path), "sha256": JSONValue(transfer.sha256)])
            ) {
                [
                    $0.notice(
                        "received \($0.fileName(transfer))\($0.renaming(transfer)) (\(ByteCount.text(transfer.size)), "
                            + "sha256 \($0.shortHash(transfer.sha256))) in \(SafeText.line($0.directory(of: transfer)))")
                ]
            }
        case .sent(let transfer):
            ShownEvent(.fileSent, Self.fields(transfer, ["sha256": JSONValue(transfer.sha256)])) {
                [
                    $0.notice(
                        "sent \($0.fileName(transfer)) (\(ByteCount.text(transfer.size)), sha256 \($0.shortHash(transfer.sha256))) "
                            + "to \($0.nick(transfer.peer))")
                ]
            }
        case .failed(let transfer, let reason):
            ShownEvent(.fileFailed, Self.fields(transfer, ["reason": .string(reason)])) {
                [$0.errorLine("transfer \(transfer.number) (\(transfer.name)) failed: \(reason)")]
            }
        case .restarted(let transfer, let reason):
            ShownEvent(.fileRestarted, Self.fields(transfer, ["reason": .string(reason)])) {
                [
                    $0.notice(
                        "transfer \(transfer.number) (\($0.fileName(transfer))) starts again from zero: \(SafeText.line(reason))")
                ]
            }
        case .cancelled(let transfer, let reason):
            ShownEvent(.fileCancelled, Self.fields(transfer, ["reason": .string(reason)])) {
                [$0.notice("transfer \(transfer.number) (\($0.fileName(transfer))) \(SafeText.line(reason))")]
            }
        }
    }

    /// The fields every file event has, and `more`.
    private static func fields(_ transfer: FileTransfer, _ more: [String: JSONValue]) -> [String: JSONValue] {
        ShellOutput.fields(of: transfer).merging(more) { $1 }
    }
}

extension OutputKind {
    /// `transfer` is the number `/get` takes; `waiting` is false when the file was taken by itself
    /// under `--auto-accept`.
    static let fileOffer = OutputKind("file_offer", fields: transferFields + ["waiting"])
    /// At most twice a second per transfer.
    static let fileProgress = OutputKind(
        "file_progress", fields: transferFields + ["direction", "bytes", "percent", "bytes_per_second"])
    static let fileReceived = OutputKind("file_received", fields: transferFields + ["path", "sha256"])
    static let fileSent = OutputKind("file_sent", fields: transferFields + ["sha256"])
    static let fileFailed = OutputKind("file_failed", fields: transferFields + ["reason"])
    /// A resumed download starts again from zero.
    static let fileRestarted = OutputKind("file_restarted", fields: transferFields + ["reason"])
    /// Declined or cancelled, by either side.
    static let fileCancelled = OutputKind("file_cancelled", fields: transferFields + ["reason"])

    /// The fields every file event has.
    static let transferFields = ["transfer", "peer", "name", "size"]
}

extension OutputRenderer {
    /// ` (sent as NAME)` when the file was saved under another name than the sender gave it.
    fileprivate func renaming(_ transfer: FileTransfer) -> String {
        Self.savedName(of: transfer) == transfer.name ? "" : " (sent as \(SafeText.line(transfer.name)))"
    }

    fileprivate func shortHash(_ sha256: String?) -> String {
        sha256.map { String($0.prefix(16)) + "…" } ?? "?"
    }

    fileprivate func directory(of transfer: FileTransfer) -> String {
        transfer.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "?"
    }
}
