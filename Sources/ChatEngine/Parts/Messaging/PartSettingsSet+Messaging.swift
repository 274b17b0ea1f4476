extension PartSettingsSet {
    public var messaging: MessagingSettings {
        get { self[MessagingSettings.self] }
        set { self[MessagingSettings.self] = newValue }
    }
}
