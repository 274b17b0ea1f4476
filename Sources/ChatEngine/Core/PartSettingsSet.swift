/// One value of each part's settings, keyed by its type; a part whose settings were never set
/// reads its defaults.
///
/// Each part adds a named accessor in its own folder (`parts.transfers`, `parts.calls`, …), so
/// that neither the core nor this type names a feature.
public struct PartSettingsSet: Sendable {
    private var values: [ObjectIdentifier: any PartSettings] = [:]

    public init() {}

    public subscript<Settings: PartSettings>(_ type: Settings.Type) -> Settings {
        get { values[ObjectIdentifier(type)] as? Settings ?? Settings() }
        set { values[ObjectIdentifier(type)] = newValue }
    }
}
