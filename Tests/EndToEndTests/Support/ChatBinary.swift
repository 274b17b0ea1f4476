import Foundation

/// The built `p2pchat` executable: `swift test` builds it into the same directory as the test
/// bundle (`.build/<triple>/debug`), so it is found next to the running test process.
enum ChatBinary {
    static func url() throws -> URL {
        let directory = try buildDirectory()
        let binary = directory.appendingPathComponent("p2pchat")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw EndToEndError(
                "the p2pchat executable is missing: expected it at \(binary.path), next to the test bundle; "
                    + "build it with `swift build --product p2pchat` (or run `swift test`, which builds it)")
        }
        return binary
    }

    /// The directory holding the test bundle.
    private static func buildDirectory() throws -> URL {
        // macOS: the tests run inside `xctest`, which loaded `<name>.xctest` from the build directory.
        if let bundle = Bundle.allBundles.first(where: { $0.bundleURL.pathExtension == "xctest" }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        // Linux: the test bundle is itself the running executable.
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if own.path != "/proc/self/exe" { return own.deletingLastPathComponent() }
        if let first = CommandLine.arguments.first, first.contains("/") {
            return URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent()
        }
        throw EndToEndError("cannot tell where the test bundle is, so cannot find the p2pchat executable next to it")
    }
}
