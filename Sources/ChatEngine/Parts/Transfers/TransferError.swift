/// Why a file command could not be done; each says what to do about it.
public enum TransferError: Error, Sendable, Equatable, CustomStringConvertible {
    case unusableFile(String, reason: String)
    case noTransfer(Int)
    /// The transfer is not in a state the command applies to; the text says which it is in.
    case wrongState(Int, String)

    public var description: String {
        switch self {
        case .unusableFile(let path, let reason): "cannot send \(path): \(reason)"
        case .noTransfer(let number): "there is no transfer \(number): /files lists them"
        case .wrongState(let number, let problem): "transfer \(number) \(problem): /files shows its state"
        }
    }
}
