import ChatEngine
import Foundation

/// How the shell was started: where data lives, how to reach the locator, how to print.
public struct ShellOptions: Sendable {
    /// The root under which each user has a directory (`<root>/<user>/`).
    public var dataRoot: URL
    /// The locator's replicas (one address for a single locator).
    public var locators: [LocatorAddress]
    public var locatorMode: LocatorClient.Mode
    public var listenHost: String
    public var listenPort: Int?
    public var json: Bool
    public var color: Bool
    /// Each part's settings, as the command line set them, handed to every user's engine as they are.
    public var parts = PartSettingsSet()
    /// Whether `/file` returns only when the file is through (scripts) rather than once offered.
    public var waitsForTransfers = true
    /// Whether what happens while a line of yours is being sent is shown after that line (at a
    /// terminal, where the scrollback keeps the order things happened), rather than as it comes.
    public var holdsEventsWhileSending = false
    /// Whether `/call ID` returns at once and rings on (at a terminal, so that `/hangup` can stop
    /// it), rather than when the call is answered, rejected or unanswered (in a script).
    public var callsInBackground = false
    /// Whether a user whose identity.pem is lost may start again with a new key (`--new-identity`).
    public var makesNewIdentity = false

    public init(
        dataRoot: URL, locators: [LocatorAddress], locatorMode: LocatorClient.Mode,
        listenHost: String, listenPort: Int?, json: Bool, color: Bool
    ) {
        self.dataRoot = dataRoot
        self.locators = locators
        self.locatorMode = locatorMode
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.json = json
        self.color = color
    }

    var locatorDescription: String {
        "\(locators.map(\.description).joined(separator: ",")) (\(locatorMode.rawValue))"
    }
}
