import ArgumentParser
import Foundation
import Logging

/// Options every subcommand takes.
public struct CommonOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: ArgumentHelp(
        "How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).", valueName: "level"))
    public var logLevel: Logger.Level = .notice

    public func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// `$XDG_DATA_HOME/p2pchat`, or `~/.local/share/p2pchat` when it is unset.
public func defaultDataDirectory() -> URL {
    let environment = ProcessInfo.processInfo.environment
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
        return URL(fileURLWithPath: xdg).appendingPathComponent("p2pchat")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".local/share/p2pchat")
}

/// `HOST:PORT`, with `[v6]:PORT` for IPv6 literals.
public struct HostPort: ExpressibleByArgument, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(argument: String) {
        let hostPart: Substring, portPart: Substring
        if argument.hasPrefix("["), let close = argument.firstIndex(of: "]") {
            hostPart = argument[argument.index(after: argument.startIndex)..<close]
            let rest = argument[argument.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else {
            guard let colon = argument.lastIndex(of: ":") else { return nil }
            hostPart = argument[..<colon]
            portPart = argument[argument.index(after: colon)...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Writes a line to stdout at once, also when stdout is a pipe (scripts wait for these lines).
/// A reader that went away (`p2pchat bench … | head -2`) is not an error worth a crash.
public func say(_ line: String) {
    try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
}

import NIOCore

extension SocketAddress {
    /// `1.2.3.4:8000` or `[::1]:8000`.
    public var hostPort: String {
        let ip = ipAddress ?? "?"
        return ip.contains(":") ? "[\(ip)]:\(port ?? 0)" : "\(ip):\(port ?? 0)"
    }
}
