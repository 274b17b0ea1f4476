extension PartSettingsSet {
    public var transfers: TransferSettings {
        get { self[TransferSettings.self] }
        set { self[TransferSettings.self] = newValue }
    }
}
