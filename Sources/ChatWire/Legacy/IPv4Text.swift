/// Dotted-quad IPv4 text, the only address form the course protocol knows.
public enum IPv4Text {
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy(\.isASCIIDigit) && Int(part).map { $0 <= 255 } == true
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
