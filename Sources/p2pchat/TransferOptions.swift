import ArgumentParser
import ChatEngine
import CommandLineSupport
import Foundation

/// The file transfers' options of `p2pchat chat`; parsed, they are the part's settings.
struct TransferOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Take files from friends up to this size without asking (K, M, G: powers of 1024; 0: always ask).",
        valueName: "size"))
    var autoAccept = ByteSize(bytes: TransferSettings().autoAcceptLimit)

    @Option(help: ArgumentHelp("Where received files land (default: downloads in the user's data directory).", valueName: "dir"),
            completion: .directory)
    var downloads: String?

    var settings: TransferSettings {
        var settings = TransferSettings()
        settings.autoAcceptLimit = autoAccept.bytes
        settings.downloadsDirectory = downloads.map { URL(fileURLWithPath: $0) }
        return settings
    }
}
