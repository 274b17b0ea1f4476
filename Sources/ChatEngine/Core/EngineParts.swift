import ChatWire
import Synchronization

/// The registration list: every part of the engine, in the order their migrations apply.
/// Adding a feature is one line here (and its folder under `Parts/`); append, never reorder.
enum EngineParts {
    static let all: [any EnginePart.Type] = [
        FriendsPart.self,
        MessagingPart.self,
        AwayPart.self,
        TransfersPart.self,
        GroupsPart.self,
        CallsPart.self,
        ReceiptsPart.self,
    ]
}

/// The engine's parts and the dispatch table from envelope `Type` to part, filled once when the
/// engine is made and read from any connection's task without going through the engine actor.
final class PartTable: Sendable {
    private struct Contents {
        var parts: [any EnginePart] = []
        var byType: [EnvelopeType: any EnginePart] = [:]
    }

    private let contents = Mutex(Contents())

    /// Makes one instance of each registered part for `core`.
    func install(for core: ChatEngine) {
        let parts = EngineParts.all.map { $0.init(core: core) }
        contents.withLock { contents in
            contents.parts = parts
            for part in parts {
                for type in Swift.type(of: part).envelopeTypes {
                    precondition(contents.byType[type] == nil, "two parts claim envelope type \(type)")
                    contents.byType[type] = part
                }
            }
        }
    }

    var all: [any EnginePart] { contents.withLock { $0.parts } }

    func part(handling type: EnvelopeType) -> (any EnginePart)? {
        contents.withLock { $0.byType[type] }
    }

    /// The one instance of a part type; registered parts always exist once the engine is made.
    func part<Part: EnginePart>(_ type: Part.Type) -> Part {
        contents.withLock { contents in
            guard let part = contents.parts.lazy.compactMap({ $0 as? Part }).first else {
                preconditionFailure("\(Part.self) is not in EngineParts.all")
            }
            return part
        }
    }
}
