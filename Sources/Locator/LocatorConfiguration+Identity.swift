import ChatIdentity
import Logging

extension LocatorConfiguration {
    public struct IdentityError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The TLS identity this locator presents. With a shared identity key (PostgreSQL only) it is
    /// the service's, kept sealed in the database so that every replica presents it and clients
    /// pin one fingerprint for the service: the first replica to start writes it, the others load
    /// it. Otherwise it is the file at `identityPath`, created on first start.
    func loadIdentity(store: any LocatorStore, logger: Logger) async throws -> Identity {
        let commonName = "p2pchat locator"
        guard let identityKey else {
            if store is PostgresLocatorStore {
                logger.warning(
                    "without --store-key-file this replica has an identity of its own; clients moving to it from another replica refuse it")
            }
            return try Identity.loadOrCreate(at: identityPath, commonName: commonName)
        }
        guard let shared = store as? PostgresLocatorStore else {
            throw IdentityError(description: "a shared identity (--store-key-file) needs a PostgreSQL store (--store)")
        }
        let candidate = try Identity.generate(commonName: commonName)
        let stored = try await shared.sharedIdentity(
            offering: (try identityKey.seal(candidate.pemRepresentation()), candidate.fingerprint.hex))
        guard let text = identityKey.open(stored.sealed) else {
            throw IdentityError(
                description: "the key file does not open the identity in \(shared.location) (fingerprint \(stored.fingerprint)): "
                    + "every replica of a service needs the same --store-key-file")
        }
        let identity = try Identity(pemRepresentation: text)
        logger.info(
            identity.fingerprint == candidate.fingerprint ? "wrote the service's identity to the database" : "loaded the service's identity",
            metadata: ["fingerprint": "\(identity.fingerprint.grouped)"])
        return identity
    }
}
