extension Identity {
    /// Why an identity could not be loaded or created. The description is one sentence for a
    /// person: what went wrong, with which file, and what to do about it.
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// The file exists but could not be read (permissions, a directory, I/O error, too large).
            case unreadable
            /// The file was read but does not hold one matching P-256 key and certificate.
            case corrupt
            /// A new identity could not be written (directory, disk full, read-only file system).
            case cannotWrite
            /// A new key or certificate could not be made.
            case cannotGenerate
        }

        public var kind: Kind
        /// The identity file, when there is one.
        public var path: String?
        /// The underlying cause, already readable ("Permission denied", "no certificate found").
        public var reason: String

        public init(kind: Kind, path: String?, reason: String) {
            self.kind = kind
            self.path = path
            self.reason = reason
        }

        public var description: String {
            let file = self.path.map { "the identity file \($0)" } ?? "the identity"
            switch self.kind {
            case .unreadable:
                return "Cannot read \(file): \(self.reason). Check that it is a file you own and can read."
            case .corrupt:
                // Never replaced automatically: a new key would make every friend see a changed identity.
                return "\(file.prefix(1).uppercased())\(file.dropFirst()) is damaged: \(self.reason). "
                    + "It was left untouched; restore it from a backup, or move it aside to create a new "
                    + "identity (friends will then see a changed fingerprint)."
            case .cannotWrite:
                return "Cannot create \(file): \(self.reason)."
            case .cannotGenerate:
                return "Cannot generate \(file): \(self.reason)."
            }
        }
    }
}
