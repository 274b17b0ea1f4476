import Foundation

/// A JSON value, so that an output's fields can be both encoded (``OutputRenderer/json(_:)``) and
/// compared as text (``EventMatcher``).
enum JSONValue: Sendable, Hashable, Encodable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(_ string: String?) {
        self = string.map(JSONValue.string) ?? .null
    }

    init(_ number: Int?) {
        self = number.map(JSONValue.number) ?? .null
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let values): try container.encode(values)
        case .object(let fields): try container.encode(fields)
        }
    }
}

extension JSONValue {
    /// One line of JSON, keys sorted, `/` not escaped.
    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The value as `/wait` compares it: a string as itself, `true`/`false`, a number in decimal,
    /// `null`, and arrays and objects as their JSON.
    var text: String {
        switch self {
        case .string(let value): value
        case .number(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .array, .object: encoded
        }
    }
}
