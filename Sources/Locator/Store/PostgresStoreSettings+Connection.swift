import NIOSSL
import PostgresNIO

extension PostgresStoreSettings {
    /// How long reaching the server may take, before a connection attempt counts as failed.
    static let connectTimeout: Duration = .seconds(3)

    /// The pool's configuration.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        case .unixSocket:
            configuration = .init(unixSocketPath: socketPath, username: user, password: password, database: database)
        }
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = Self.connectTimeout
        return configuration
    }

    /// The configuration of one connection outside the pool.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        case .unixSocket:
            configuration = .init(unixSocketPath: socketPath, username: user, password: password, database: database)
        }
        configuration.options.connectTimeout = .seconds(Int64(Self.connectTimeout.components.seconds))
        return configuration
    }

    /// The server's socket, named as libpq names it.
    private var socketPath: String {
        guard case .unixSocket(let directory, let port) = endpoint else { return "" }
        return "\(directory)/.s.PGSQL.\(port)"
    }
}
