/// Why a group command could not be done; each says what to do about it.
public enum GroupError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case noMembers
    case noSuchGroup(String)
    case ambiguous(String, candidates: [String])
    case sameMembers(existing: String)
    case notOwner(group: String, owner: String)
    case notMember(group: String, user: String)
    case alreadyMember(group: String, user: String)
    case tooManyMembers(Int)
    case changedMeanwhile(String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "'\(name.prefix(40))' is not a group name: 1 to 32 letters, digits, '.', '_' or '-'"
        case .noMembers: "a group needs at least one other member"
        case .noSuchGroup(let name): "you are in no group \(name): /group list shows yours"
        case .ambiguous(let name, let candidates):
            "\(name) names several groups: say which, \(candidates.joined(separator: " or "))"
        case .sameMembers(let existing): "\(existing) already has exactly these members"
        case .notOwner(let group, let owner): "only the owner of \(group), \(owner), can do that"
        case .notMember(let group, let user): "\(user) is not in \(group)"
        case .alreadyMember(let group, let user): "\(user) is already in \(group)"
        case .tooManyMembers(let limit): "a group has at most \(limit) members"
        case .changedMeanwhile(let group): "\(group) changed meanwhile: look at /group info and try again"
        }
    }
}
