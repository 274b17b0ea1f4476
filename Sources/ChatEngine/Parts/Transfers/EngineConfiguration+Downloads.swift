import Foundation

extension EngineConfiguration {
    /// Where received files land: the one set, or `downloads` in the data directory.
    var downloads: URL { parts.transfers.downloadsDirectory ?? dataDirectory.appendingPathComponent("downloads") }
}
