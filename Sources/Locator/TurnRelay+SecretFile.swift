import Foundation

extension TurnRelay {
    public enum SecretFileError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case empty(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read the TURN secret file \(path): \(reason)"
            case .empty(let path): "the TURN secret file \(path) is empty"
            }
        }
    }

    /// The shared secret in `path`: its first line, as coturn's `static-auth-secret` takes it
    /// (a trailing newline is not part of it). Its bytes never appear in an error.
    public static func readSecret(from path: String) throws(SecretFileError) -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "no such file or not readable")
        }
        let line = data.prefix { $0 != 0x0A && $0 != 0x0D }
        guard !line.isEmpty else { throw .empty(path: path) }
        return Array(line)
    }
}
