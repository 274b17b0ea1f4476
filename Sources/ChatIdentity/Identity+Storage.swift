import Foundation

extension Identity {
    /// An identity file is a key and a certificate, a few hundred bytes; anything much larger
    /// is the wrong file (or a device such as /dev/zero), and is refused before it fills memory.
    static let maximumFileSize = 64 * 1024

    /// Loads the identity stored at `file`, or creates and stores a new one if there is no file.
    ///
    /// - A new file is written with mode 0600 (its directory created with mode 0700 if missing)
    ///   through a temporary file that is linked into place only when complete, so a crash never
    ///   leaves half a key, and two processes starting at once end up with the same identity.
    /// - An existing file that cannot be read or parsed throws an `Identity.Error` naming it;
    ///   it is never overwritten, because a new key would change the user's fingerprint.
    /// - `commonName` only names a new certificate; an existing identity keeps its own.
    public static func loadOrCreate(at file: URL, commonName: String) throws -> Identity {
        let path = file.path
        if let text = try IdentityFile.contents(path: path, limit: Self.maximumFileSize) {
            return try Self.parse(text, path: path)
        }
        var identity = try Self.generate(commonName: commonName)
        do {
            let created = try IdentityFile.createExclusively(path: path, contents: identity.pemRepresentation())
            if !created {
                // Another process created the file between our read and our write: use theirs.
                guard let text = try IdentityFile.contents(path: path, limit: Self.maximumFileSize) else {
                    throw Identity.Error(kind: .cannotWrite, path: path, reason: "it vanished while being created")
                }
                identity = try Self.parse(text, path: path)
            }
        } catch var error as Identity.Error {
            error.path = error.path ?? path
            throw error
        } catch {
            // Only encoding the new identity throws anything else; its error could quote the key.
            throw Identity.Error(kind: .cannotWrite, path: path, reason: "the new identity could not be encoded")
        }
        return identity
    }

    private static func parse(_ text: String, path: String) throws -> Identity {
        do {
            return try Identity(pemRepresentation: text)
        } catch var error as Identity.Error {
            error.path = path
            throw error
        }
    }
}
