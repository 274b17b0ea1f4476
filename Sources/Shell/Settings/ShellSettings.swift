import Foundation

/// What `/set` changes, kept per user in `settings` in the user's data directory as `name = value` lines.
public struct ShellSettings: Sendable, Equatable {
    public var bell = AlertMode.mentions
    public var notify = AlertMode.mentions
    /// Whether calls clean a sound card's microphone of the peer's echo (`file:` sources never are).
    public var echoCancellation = true
    /// Whether read receipts are shared with friends who share them too (off until asked for).
    public var readReceipts = false
    /// Whether typing is shown to friends who show theirs too (off until asked for).
    public var typing = false

    /// Whether an edit or delete keeps the text it replaces in this user's store (off: it is gone).
    public var keepEdits = false

    /// Every setting's name, in the order `/set` lists them.
    public static let names = ["bell", "notify", "aec", "receipts", "typing", "keep-edits"]

    public init() {}

    /// Settings from a file's text; lines that are not a known `name = value` keep the default.
    public init(fileText: String) {
        for line in fileText.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            try? set(parts[0], to: parts[1])
        }
    }

    /// The file's text: one `name = value` line per setting.
    public var fileText: String {
        listing.map { $0 + "\n" }.joined()
    }

    /// `name = value` for each setting, as `/set` shows them.
    public var listing: [String] {
        Self.names.map { "\($0) = \(value(of: $0) ?? "")" }
    }

    public func value(of name: String) -> String? {
        switch name {
        case "bell": bell.rawValue
        case "notify": notify.rawValue
        case "aec": echoCancellation ? "on" : "off"
        case "receipts": readReceipts ? "on" : "off"
        case "typing": typing ? "on" : "off"
        case "keep-edits": keepEdits ? "on" : "off"
        default: nil
        }
    }

    /// The values `name` takes, for completion and errors.
    public static func values(of name: String) -> [String] {
        switch name {
        case "bell", "notify": AlertMode.allCases.map(\.rawValue)
        case "aec", "receipts", "typing", "keep-edits": ["on", "off"]
        default: []
        }
    }

    public mutating func set(_ name: String, to value: String) throws(CommandLineError) {
        switch name.lowercased() {
        case "bell": bell = try Self.alertMode("bell", value)
        case "notify": notify = try Self.alertMode("notify", value)
        case "aec": echoCancellation = try Self.onOff("aec", value)
        case "receipts": readReceipts = try Self.onOff("receipts", value)
        case "typing": typing = try Self.onOff("typing", value)
        case "keep-edits": keepEdits = try Self.onOff("keep-edits", value)
        default:
            throw CommandLineError(
                "no setting called '\(CommandLineParser.shown(name))': the settings are \(Self.names.joined(separator: ", "))")
        }
    }

    /// `value` as the mode of the alert setting `name` (`bell`, `notify`).
    private static func alertMode(_ name: String, _ value: String) throws(CommandLineError) -> AlertMode {
        guard let mode = AlertMode(rawValue: value.lowercased()) else {
            throw CommandLineError("\(name) is one of off, mentions, all; usage: \(CommandSpec.set.usage)")
        }
        return mode
    }

    /// `value` of the on/off setting `name`.
    private static func onOff(_ name: String, _ value: String) throws(CommandLineError) -> Bool {
        switch value.lowercased() {
        case "on": return true
        case "off": return false
        default: throw CommandLineError("\(name) is on or off; usage: \(CommandSpec.set.usage)")
        }
    }

    /// The user's settings, or the defaults when the file is missing or unreadable.
    static func load(from file: URL) -> ShellSettings {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return ShellSettings() }
        return ShellSettings(fileText: text)
    }

    func save(to file: URL) throws(CommandFailure) {
        do {
            try Data(fileText.utf8).write(to: file, options: .atomic)
        } catch {
            throw CommandFailure("cannot save the settings in \(file.path): is its directory writable?")
        }
    }
}
