import Foundation
import NIOCore

extension Envelope: Codable {
    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case source = "Source"
        case target = "Target"
        case time = "Time"
        case id = "Id"
        case data = "Data"
        case fileSize = "FileSize"
        case groupName = "GROUPNAME"
        case mediaPort = "Port"
        case mediaKey = "Key"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(EnvelopeType.self, forKey: .type)
        source = try container.decode(String.self, forKey: .source)
        target = try container.decode(String.self, forKey: .target)
        let timeText = try container.decode(String.self, forKey: .time)
        guard let time = EnvelopeTime.parse(timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not an ISO 8601 time")
        }
        self.time = time
        id = try container.decode(String.self, forKey: .id)
        data = try container.decodeIfPresent(String.self, forKey: .data)
        fileSize = try container.decodeIfPresent(Int64.self, forKey: .fileSize)
        groupName = try container.decodeIfPresent(String.self, forKey: .groupName)
        mediaPort = try container.decodeIfPresent(Int.self, forKey: .mediaPort)
        mediaKey = try container.decodeIfPresent(String.self, forKey: .mediaKey)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(source, forKey: .source)
        try container.encode(target, forKey: .target)
        try container.encode(EnvelopeTime.format(time), forKey: .time)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(fileSize, forKey: .fileSize)
        try container.encodeIfPresent(groupName, forKey: .groupName)
        try container.encodeIfPresent(mediaPort, forKey: .mediaPort)
        try container.encodeIfPresent(mediaKey, forKey: .mediaKey)
    }

    /// The JSON bytes of a kind-0 frame.
    public func encoded() throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(self))
    }

    /// Parses and validates what a peer sent. Every rule a peer's envelope must follow is here.
    public static func decode(from payload: ByteBuffer) throws(EnvelopeError) -> Envelope {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(payload.readableBytesView))
        } catch {
            throw .invalidJSON(String(describing: error).prefix(200).description)
        }
        try envelope.validate()
        return envelope
    }

    public func validate() throws(EnvelopeError) {
        guard (1...64).contains(type.rawValue.utf8.count) else { throw .invalidField("Type") }
        guard UserName.isValid(source) else { throw .invalidField("Source") }
        guard UserName.isValid(target) else { throw .invalidField("Target") }
        guard (1...128).contains(id.utf8.count), id.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw .invalidField("Id")
        }
        if let data, data.utf8.count > Limits.maxMessageText { throw .invalidField("Data") }
        if let fileSize, fileSize < 0 { throw .invalidField("FileSize") }
        if let groupName, groupName.utf8.count > 256 { throw .invalidField("GROUPNAME") }
        if type == .message || type == .action || type == .ack, data?.isEmpty ?? true { throw .invalidField("Data") }
        if type == .away, let data, data.utf8.count > Limits.maxAwayReason { throw .invalidField("Data") }
        try validateCall()
    }

    /// A call offer or answer carries a usable port and a 32-byte key; every call envelope
    /// names its call (the offer carries the caller's IP address instead).
    private func validateCall() throws(EnvelopeError) {
        if let mediaPort, !(1...65535).contains(mediaPort) { throw .invalidField("Port") }
        if let mediaKey, Data(base64Encoded: mediaKey)?.count != 32 { throw .invalidField("Key") }
        guard [.audio, .audioAnswer, .audioReject, .audioBusy, .end].contains(type) else { return }
        guard let data, (1...128).contains(data.utf8.count) else { throw .invalidField("Data") }
        if type == .audio, (try? SocketAddress(ipAddress: data, port: 0)) == nil { throw .invalidField("Data") }
        if type == .audio || type == .audioAnswer {
            guard mediaPort != nil else { throw .invalidField("Port") }
            guard mediaKey != nil else { throw .invalidField("Key") }
        }
    }
}

/// Why a peer's envelope was dropped.
public enum EnvelopeError: Error, Hashable, CustomStringConvertible {
    case invalidJSON(String)
    case invalidField(String)

    public var description: String {
        switch self {
        case .invalidJSON(let detail): "envelope is not valid JSON: \(detail)"
        case .invalidField(let field): "envelope field '\(field)' is missing or invalid"
        }
    }
}

/// `Time` is ISO 8601 UTC; we write milliseconds and read with or without them.
enum EnvelopeTime {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
