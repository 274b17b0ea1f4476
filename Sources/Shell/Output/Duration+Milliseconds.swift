extension Duration {
    /// Whole milliseconds, as the shell prints call figures.
    var milliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
