import PostgresNIO

extension PSQLError {
    /// What went wrong in one line: the server's own message when it sent one. (`description`
    /// is a fixed text, so that a query's values never reach a log unasked.)
    var summary: String {
        if let message = serverInfo?[.message] { return message }
        if code == .authMechanismRequiresPassword { return "the server asks for a password: give --store-password-file FILE" }
        if let underlying { return "\(code): \(underlying)" }
        return "\(code)"
    }
}

/// `error` in one line, for logs and for the operator.
func storeErrorText(_ error: any Error) -> String {
    (error as? PSQLError)?.summary ?? String(describing: error)
}
