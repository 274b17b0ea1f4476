/// A part's own settings (how long a send waits for its ack, which files are taken without
/// asking, where call audio comes from). Its defaults are those of `init()`, written once, there.
///
/// The core holds them without knowing them (`EngineConfiguration.parts`); the part reads its
/// own through the accessor its folder adds to `PartSettingsSet`.
public protocol PartSettings: Sendable {
    init()
}
