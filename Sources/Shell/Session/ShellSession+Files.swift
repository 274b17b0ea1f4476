import ChatEngine
import Foundation

extension ShellSession {
    /// PATH as typed, `~` expanded; without the blanks Tab leaves after a completed name, unless a
    /// file's name really ends in them.
    static func typedPath(_ typed: String) -> String {
        let expanded = NSString(string: typed).expandingTildeInPath
        let trimmed = String(expanded.reversed().drop(while: \.isWhitespace).reversed())
        guard trimmed != expanded, !FileManager.default.fileExists(atPath: expanded) else { return expanded }
        return trimmed
    }

    /// `/file ID PATH`. A script waits until the file is through (or the offer waits for the friend);
    /// at a terminal the command returns once offered, and the progress line takes over.
    func sendFile(_ path: String, to peer: String) async throws {
        let engine = try requireEngine()
        let expanded = Self.typedPath(path)
        let (transfer, offered) = try await engine.sendFile(at: expanded, to: peer)
        let size = ByteCount.text(transfer.size)
        guard offered else {
            show(.info("\(peer) is offline: \(transfer.name) (\(size)) is queued as transfer \(transfer.number) and goes when \(peer) is online"))
            return
        }
        guard options.waitsForTransfers else {
            show(.info("offered \(transfer.name) (\(size)) to \(peer) as transfer \(transfer.number)"))
            return
        }
        let outcome = try await engine.transferOutcome(transfer.number, stopsAtWaiting: true)
        switch outcome.state {
        case .done:
            break  // `file_sent` said it
        case .waiting:
            show(.info("\(peer) has the offer of \(transfer.name) (transfer \(transfer.number)) and has to accept it with /get"))
        case .paused, .offered, .sending:
            show(.info("transfer \(transfer.number) of \(transfer.name) is paused: it goes on when \(peer) is back"))
        case .failed, .cancelled, .declined, .receiving:
            throw CommandFailure("transfer \(transfer.number) of \(transfer.name): \(outcome.reason ?? outcome.state.rawValue)")
        }
    }

    /// `/get N [DIR]`.
    func getFile(_ number: Int, into directory: String?) async throws {
        let directory = directory.map { URL(fileURLWithPath: NSString(string: $0).expandingTildeInPath) }
        let transfer = try await requireEngine().acceptFile(number, into: directory)
        let place = transfer.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "the downloads directory"
        show(.info("receiving \(transfer.name) (\(ByteCount.text(transfer.size))) from \(transfer.peer) into \(place)"))
    }
}
