import ChatIdentity
import Crypto
import Foundation
import TestSupport
import Testing
import X509

@Suite("Identity")
struct IdentityTests {
    @Test("a new identity file has mode 0600 in a 0700 directory and reloads with the same fingerprint")
    func createsPrivateFileAndReloads() async throws {
        try await withTemporaryDirectory { directory in
            let dataDirectory = directory.appendingPathComponent("alice")
            let file = dataDirectory.appendingPathComponent("identity.pem")

            let created = try Identity.loadOrCreate(at: file, commonName: "alice")

            #expect(try Self.permissions(of: file) == 0o600)
            #expect(try Self.permissions(of: dataDirectory) == 0o700)
            // Only the identity: the temporary file was linked into place and removed.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path) == ["identity.pem"])
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("-----BEGIN PRIVATE KEY-----"))
            #expect(text.contains("-----BEGIN CERTIFICATE-----"))

            let reloaded = try Identity.loadOrCreate(at: file, commonName: "someone else")
            #expect(reloaded.fingerprint == created.fingerprint)
            #expect(reloaded.commonName == "alice")
            #expect(reloaded.privateKey.rawRepresentation == created.privateKey.rawRepresentation)
        }
    }

    @Test("two identities differ, and the fingerprint is the SHA-256 of the public key's SPKI")
    func fingerprintIsOfThePublicKey() throws {
        let alice = try Identity.generate(commonName: "alice")
        let bob = try Identity.generate(commonName: "bob")
        #expect(alice.fingerprint != bob.fingerprint)
        #expect(alice.fingerprint == Fingerprint(publicKeyDER: alice.privateKey.publicKey.derRepresentation))
        #expect(alice.fingerprint == (try Fingerprint(certificate: alice.certificateChain[0])))
    }

    @Test("the certificate is self-signed, names the user and stays valid for about 20 years")
    func certificateShape() throws {
        let now = Date()
        let identity = try Identity.generate(commonName: "alice", now: now)
        #expect(identity.commonName == "alice")
        #expect(identity.certificate.issuer == identity.certificate.subject)
        #expect(identity.certificate.notValidBefore <= now)
        #expect(identity.certificate.notValidAfter > now.addingTimeInterval(19.9 * 365 * 24 * 3600))
        #expect(identity.certificate.notValidAfter < now.addingTimeInterval(20.1 * 365 * 24 * 3600))
        #expect(identity.certificate.publicKey.isValidSignature(identity.certificate.signature, for: identity.certificate))
    }

    @Test("the PEM form round-trips")
    func pemRoundTrip() throws {
        let identity = try Identity.generate(commonName: "alice")
        let parsed = try Identity(pemRepresentation: identity.pemRepresentation())
        #expect(parsed.fingerprint == identity.fingerprint)
        #expect(parsed.certificate == identity.certificate)
    }

    @Test(
        "a corrupt identity file throws a clear error naming it and is left untouched",
        arguments: CorruptFile.allCases
    )
    func corruptFile(_ corruption: CorruptFile) async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("identity.pem")
            let bytes = try corruption.bytes()
            try Data(bytes).write(to: file)

            let error = try #require(throws: Identity.Error.self) {
                try Identity.loadOrCreate(at: file, commonName: "alice")
            }

            #expect(error.kind == .corrupt)
            #expect(error.path == file.path)
            #expect(error.description.contains(file.path))
            #expect(error.description.contains("left untouched"))
            #expect(!error.description.contains("\n"))
            #expect(try Data(contentsOf: file) == Data(bytes))
        }
    }

    @Test("an identity path that cannot be read as a file throws .unreadable naming it")
    func unreadableFile() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("identity.pem")
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)

            let error = try #require(throws: Identity.Error.self) {
                try Identity.loadOrCreate(at: file, commonName: "alice")
            }

            #expect(error.kind == .unreadable)
            #expect(error.description.contains(file.path))
            #expect(FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test("an oversized file is refused without reading it all")
    func oversizedFile() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("identity.pem")
            try Data(repeating: UInt8(ascii: "A"), count: 1024 * 1024).write(to: file)

            let error = try #require(throws: Identity.Error.self) {
                try Identity.loadOrCreate(at: file, commonName: "alice")
            }

            #expect(error.kind == .unreadable)
            #expect(error.description.contains(file.path))
        }
    }

    @Test("a data directory that cannot be created throws .cannotWrite")
    func cannotCreateDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let blocker = directory.appendingPathComponent("not-a-directory")
            try Data("x".utf8).write(to: blocker)
            let file = blocker.appendingPathComponent("identity.pem")

            let error = try #require(throws: Identity.Error.self) {
                try Identity.loadOrCreate(at: file, commonName: "alice")
            }

            #expect(error.kind == .cannotWrite)
            #expect(error.description.contains(blocker.path))
        }
    }

    private static func permissions(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }
}

/// Ways an identity file can be damaged, each of which must be reported, not repaired.
enum CorruptFile: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case empty
    case garbage
    case notUTF8
    case certificateOnly
    case keyOnly
    case twoKeys
    case truncated
    case badBase64
    case keyOfAnotherIdentity

    var testDescription: String { self.rawValue }

    func bytes() throws -> [UInt8] {
        let alice = try Identity.generate(commonName: "alice")
        let bob = try Identity.generate(commonName: "bob")
        let pem = try alice.pemRepresentation()
        let key = alice.privateKey.pemRepresentation
        let certificateStart = try #require(pem.range(of: "-----BEGIN CERTIFICATE-----"))
        let certificate = String(pem[certificateStart.lowerBound...])
        let text: String
        switch self {
        case .empty: text = ""
        case .garbage: text = "this is not an identity\n"
        case .notUTF8: return [0xFF, 0xFE, 0x00, 0x80, 0xC3]
        case .certificateOnly: text = certificate
        case .keyOnly: text = key
        case .twoKeys: text = key + "\n" + bob.privateKey.pemRepresentation + "\n" + certificate
        case .truncated: text = String(pem.prefix(pem.count / 2))
        case .badBase64: text = pem.replacingOccurrences(of: "-----BEGIN CERTIFICATE-----\nM", with: "-----BEGIN CERTIFICATE-----\n*")
        case .keyOfAnotherIdentity: text = bob.privateKey.pemRepresentation + "\n" + certificate
        }
        return Array(text.utf8)
    }
}
