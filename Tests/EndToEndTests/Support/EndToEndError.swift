/// Why an end-to-end step gave up, with what the programs printed so the failure explains itself.
struct EndToEndError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
