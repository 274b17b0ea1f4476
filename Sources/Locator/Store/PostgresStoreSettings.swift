import Foundation

/// Where a PostgreSQL store is and who the locator is there, from `--store
/// postgresql://USER@HOST:PORT/DB`, the `PGHOST` style of environment variables for what the URL
/// leaves out, and a password file.
///
/// A password never comes from the command line, where `ps` and shell histories show it: a URL
/// with one is refused.
public struct PostgresStoreSettings: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// A host that starts with `/` is the directory of the server's Unix socket, as for psql.
        case unixSocket(directory: String, port: Int)
    }

    /// libpq's `sslmode`, the values that need no certificate files.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
    }

    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var password: String?
    public var tls: TLSMode
    /// Connections of the pool, besides the one that listens for changes (the heartbeat and the
    /// sweep use the pool). Four replicas of 20 + 1 take 84 of PostgreSQL's default
    /// `max_connections` of 100, less its 3 reserved for superusers: room for `psql` and a fifth
    /// replica starting while one stops.
    public var poolSize: Int

    public static let defaultPoolSize = 20
    /// Debian's libpq looks there when no host is given.
    static let defaultSocketDirectory = "/var/run/postgresql"

    public init(
        endpoint: Endpoint, user: String, database: String, password: String? = nil, tls: TLSMode = .prefer,
        poolSize: Int = Self.defaultPoolSize
    ) {
        self.endpoint = endpoint
        self.user = user
        self.database = database
        self.password = password
        self.tls = tls
        self.poolSize = poolSize
    }

    /// The URL without any password, for messages and logs.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            return "postgresql://\(user)@\(shown):\(port)/\(database)"
        case .unixSocket(let directory, let port):
            return "postgresql://\(user)@:\(port)/\(database)?host=\(directory)"
        }
    }

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql:") || text.hasPrefix("postgres:")
    }

    /// Reads `postgresql://[USER@][HOST][:PORT][/DB][?host=…&port=…&user=…&dbname=…&sslmode=…]`.
    /// What it leaves out comes from `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE` and `PGSSLMODE`,
    /// then libpq's defaults (the Unix socket in /var/run/postgresql, port 5432, the login name
    /// as user, the user as database). The password, if any, is the first line of `passwordFile`.
    public static func parse(
        _ url: String, environment: [String: String] = ProcessInfo.processInfo.environment, passwordFile: String? = nil,
        loginName: String = NSUserName()
    ) throws -> PostgresStoreSettings {
        guard let schemeEnd = url.range(of: "://"), isURL(url) else {
            throw Error(description: "'\(url.prefix(60))' is not a postgresql://USER@HOST:PORT/DB URL")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, ["host", "port", "user", "dbname", "sslmode"].contains(String(parts[0])) else {
                    throw Error(description: "unknown URL parameter '\(pair.prefix(40))' (host, port, user, dbname, sslmode are known)")
                }
                parameters[String(parts[0])] = try decoded(parts[1])
            }
            rest = rest[..<question]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userPart: Substring?
        if let at = rest.lastIndex(of: "@") {
            userPart = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        if let userPart, userPart.contains(":") {
            throw Error(description: "a password in --store would show in ps and shell history; put it in a file and give --store-password-file FILE")
        }
        var hostPart = rest
        var portPart: Substring?
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            portPart = hostPart[hostPart.index(after: close)...].drop(while: { $0 == ":" })
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }

        func pick(_ fromURL: Substring?, _ parameter: String, _ variable: String) throws -> String? {
            if let value = parameters[parameter], !value.isEmpty { return value }
            if let fromURL, !fromURL.isEmpty { return try decoded(fromURL) }
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }
        let host = try pick(hostPart, "host", "PGHOST") ?? defaultSocketDirectory
        let portText = try pick(portPart, "port", "PGPORT") ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw Error(description: "'\(portText.prefix(20))' is not a port (1-65535)")
        }
        let user = try pick(userPart, "user", "PGUSER") ?? loginName
        let database = try pick(path, "dbname", "PGDATABASE") ?? user
        let modeText = parameters["sslmode"] ?? environment["PGSSLMODE"] ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: modeText) else {
            throw Error(description: "sslmode '\(modeText.prefix(20))' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let endpoint: Endpoint = host.hasPrefix("/") ? .unixSocket(directory: host, port: port) : .tcp(host: host, port: port)
        return PostgresStoreSettings(
            endpoint: endpoint, user: user, database: database, password: try passwordFile.map(readPassword(from:)),
            tls: tls)
    }

    /// The first line of `path`, which must not be readable by group or others (libpq ignores
    /// such a `.pgpass` for the same reason).
    static func readPassword(from path: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        let data: Data
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Error(description: "cannot read password file \(path): \(error.localizedDescription)")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw Error(description: "password file \(path) may be read by others; chmod 600 it")
        }
        guard let text = String(data: data, encoding: .utf8),
              let line = text.split(separator: "\n", omittingEmptySubsequences: false).first,
              !line.isEmpty
        else {
            throw Error(description: "password file \(path) has no password on its first line")
        }
        return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }

    private static func decoded(_ text: Substring) throws -> String {
        guard let value = String(text).removingPercentEncoding else {
            throw Error(description: "'\(text.prefix(40))' has a broken %-escape")
        }
        return value
    }
}
