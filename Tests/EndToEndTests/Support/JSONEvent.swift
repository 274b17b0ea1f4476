import Foundation

/// One `--json` line of a client's standard output: `{"event":"message","from":"alice",...}`.
struct JSONEvent: Sendable, CustomStringConvertible {
    /// Its position among the program's output lines (0 is the first line).
    var index: Int
    var line: String
    var fields: [String: JSONValue]

    /// Nil when the line is not a JSON object with an `event` string.
    init?(line: String, index: Int) {
        guard let data = line.data(using: .utf8),
            let parsed = try? JSONSerialization.jsonObject(with: data),
            let object = parsed as? [String: Any],
            object["event"] is String
        else { return nil }
        self.index = index
        self.line = line
        self.fields = object.mapValues(JSONValue.init)
    }

    var name: String { fields["event"]?.text ?? "" }

    /// A field compared as text, as `/wait` compares it.
    subscript(key: String) -> String? {
        fields[key]?.text
    }

    /// Whether it is called `name` and each of `expected` equals the field of that name as text.
    func matches(_ name: String, _ expected: [String: String]) -> Bool {
        self.name == name && expected.allSatisfy { self[$0.key] == $0.value }
    }

    var description: String { line }
}
