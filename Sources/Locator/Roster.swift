import ChatWire
import Foundation

/// The roster file: one allowed id a line; blank lines and `#` comments are ignored.
public enum Roster {
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(from path: String) throws -> Set<String> {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Error(description: "cannot read roster file \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws -> Set<String> {
        var ids = Set<String>()
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            guard UserName.isValid(line) else {
                throw Error(description: "\(source):\(number + 1): '\(line.prefix(40))' is not a valid id (\(UserName.rule))")
            }
            ids.insert(line)
        }
        return ids
    }
}
