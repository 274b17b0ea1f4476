import Foundation

/// Which files from friends are taken without asking, and where received files land.
public struct TransferSettings: PartSettings {
    /// Files from friends up to this many bytes are accepted without asking; 0 asks for every file.
    public var autoAcceptLimit: Int64 = 100 * 1024 * 1024
    /// Where received files land; nil means `downloads` in the user's data directory.
    public var downloadsDirectory: URL?

    public init() {}
}
