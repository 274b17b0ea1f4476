extension PartSettingsSet {
    public var receipts: ReceiptSettings {
        get { self[ReceiptSettings.self] }
        set { self[ReceiptSettings.self] = newValue }
    }
}
