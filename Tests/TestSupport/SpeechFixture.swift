import Foundation
import Testing
import Voice

/// Speech for call tests, made with espeak-ng and converted by sox to the call format, in a
/// directory of its own that goes away with the fixture.
public final class SpeechFixture {
    public let directory: URL
    public let wavPath: String
    public let rawPath: String
    public let speech: WAVFile

    /// Whether espeak-ng and sox, which make the speech, are installed. A test that needs speech
    /// is `.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason)`, so that
    /// without them it is reported as skipped, never as passed.
    public static let toolsInstalled = ["espeak-ng", "sox"].allSatisfy { executable($0) != nil }
    public static let missingToolsReason: Comment = "espeak-ng and sox make the speech: apt-get install espeak-ng sox"

    public static func make(_ text: String = "Hello, this is a voice call test. One, two, three, four.") throws -> SpeechFixture {
        try SpeechFixture(text: text)
    }

    private init(text: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-voice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let spoken = directory.appendingPathComponent("spoken.wav").path
        wavPath = directory.appendingPathComponent("speech.wav").path
        rawPath = directory.appendingPathComponent("speech.raw").path
        try Self.run("espeak-ng", ["-w", spoken, text])
        try Self.run("sox", [spoken, "-r", "48000", "-c", "1", "-b", "16", wavPath])
        try Self.run("sox", [wavPath, "-t", "raw", rawPath])
        speech = try WAVFile(path: wavPath)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The speech run through sox `effects` (a room's echo, say), written to `name` and read back.
    public func transformed(_ name: String, effects: [String]) throws -> WAVFile {
        try Self.run("sox", [wavPath, path(name)] + effects)
        return try WAVFile(path: path(name))
    }

    public func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    private static func executable(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let status = try SpawnedProcess.run(executable(tool) ?? tool, arguments).status
        guard status == 0 else { throw FixtureError(tool: tool, status: status) }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let tool: String
        let status: Int32
        var description: String { "\(tool) exited with status \(status)" }
    }
}
