extension PartSettingsSet {
    public var calls: CallSettings {
        get { self[CallSettings.self] }
        set { self[CallSettings.self] = newValue }
    }
}
