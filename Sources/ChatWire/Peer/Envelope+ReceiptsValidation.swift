extension Envelope {
    /// The rules for `Signals`, `Read` and `Typing`: each says exactly one small thing in `Data`.
    func validateReceipts() throws(EnvelopeError) {
        switch type {
        case .receiptChoices:
            guard ReceiptChoices.isValidData(data ?? "") else { throw .invalidField("Data") }
        case .read:
            guard let data, Self.isToken(data) else { throw .invalidField("Data") }
        case .typing:
            guard let data, TypingState(rawValue: data) != nil else { throw .invalidField("Data") }
        default:
            break
        }
    }
}
