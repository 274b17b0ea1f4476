// swift-tools-version:6.1
import PackageDescription

/// One list of settings for every target: Swift 6 language mode with its strict concurrency checking.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "p2pchat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "p2pchat", targets: ["p2pchat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Wire formats: pure values and codecs, everything a peer can send is parsed here.
        .target(
            name: "ChatWire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Long-lived TLS identities (key, self-signed certificate, fingerprint) and pinned TLS configurations.
        .target(
            name: "ChatIdentity",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The locator server: accounts, presence, the legacy and modern dialects.
        .target(
            name: "Locator",
            dependencies: [
                "ChatWire",
                "ChatIdentity",
                "CGlibcExtras",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The client engine: locator client, peers, contacts, messages, the local store.
        .target(
            name: "ChatEngine",
            dependencies: [
                "ChatWire",
                "ChatIdentity",
                "Voice",
                "CGlibcExtras",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .systemLibrary(
            name: "CALSA",
            pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]
        ),
        .systemLibrary(
            name: "COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]
        ),
        // Echo cancellation and noise suppression for the microphone.
        .systemLibrary(
            name: "CSpeexDSP",
            pkgConfig: "speexdsp",
            providers: [.apt(["libspeexdsp-dev"])]
        ),
        // Voice media: audio in/out (ALSA, WAV files), echo cancellation, the Opus codec, the jitter buffer, the UDP media session.
        .target(
            name: "Voice",
            dependencies: [
                "CALSA",
                "COpus",
                "CSpeexDSP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What Swift's Glibc module leaves out: mallopt, malloc_trim, sync_file_range.
        .systemLibrary(name: "CGlibcExtras"),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The IRC-style shell: line editor, slash-commands, event printer, script runner.
        .target(
            name: "Shell",
            dependencies: [
                "ChatEngine",
                "ChatWire",
                "ChatIdentity",
                "CEditLine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What several subcommands parse: log level, HOST:PORT, sizes; and `say` for lines scripts wait for.
        .target(
            name: "CommandLineSupport",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // `p2pchat bench …`: each benchmark beside the ceiling it measures in the same run.
        // A port for a server started as a program of its own, in benchmarks and tests.
        .target(name: "LoopbackPorts"),
        // The namespaces' small internet (NAT homes, a relay's public side), in benchmarks and tests.
        .target(name: "NatTopology"),
        .target(
            name: "Benchmarks",
            dependencies: [
                "CommandLineSupport",
                "LoopbackPorts",
                "NatTopology",
                "ChatEngine",
                "Locator",
                "Voice",
                "ChatWire",
                "ChatIdentity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The program: the chat shell, the locator and the echo user; `bench` comes from Benchmarks.
        .executableTarget(
            name: "p2pchat",
            dependencies: [
                "CommandLineSupport",
                "Benchmarks",
                "Shell",
                "ChatEngine",
                "Locator",
                "Voice",
                "ChatWire",
                "ChatIdentity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "LoopbackPorts",
                "Locator",
                "Voice",
                "ChatWire",
                "ChatIdentity",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "ChatWireTests",
            dependencies: [
                "ChatWire",
                // The RFC 5769 vectors need HMAC-SHA1 and MD5, which ChatWire leaves to its callers.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ChatIdentityTests",
            dependencies: [
                "ChatIdentity",
                "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "LocatorTests",
            dependencies: [
                // To check the TURN credentials' HMAC-SHA1 apart from the locator's code.
                .product(name: "Crypto", package: "swift-crypto"),
                "Locator",
                "ChatWire",
                "ChatIdentity",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ChatEngineTests",
            dependencies: [
                "ChatEngine",
                "LoopbackPorts",
                "Voice",
                "Locator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                "ChatWire",
                "ChatIdentity",
                "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // SQL scripts of files earlier versions wrote, read by path from the tests.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ShellTests",
            dependencies: ["Shell", "ChatEngine", "TestSupport"]
        ),
        .testTarget(
            name: "VoiceTests",
            dependencies: [
                "Voice",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport", "NatTopology", "ChatWire", "ChatIdentity"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}

// The libFuzzer targets, one per parser of ChatWire, with their sources and seeds in `Tests/Fuzz`.
// They exist only when `P2PCHAT_FUZZ` is set (`.ci/fuzz` sets it, and adds the fuzzer's
// instrumentation), and the package is then ChatWire and them alone: the ordinary build and tests
// neither see nor wait for them.
let fuzzTargets = ["PeerFrames", "Envelope", "GroupHeader", "LocatorLines", "CourseLines", "FileNames", "Stun", "Punch"]

if Context.environment["P2PCHAT_FUZZ"] != nil {
    let chatWire = package.targets.filter { $0.name == "ChatWire" }
    // The targets reach the decoders' channel-free methods through `@testable import`.
    chatWire[0].swiftSettings = swiftSettings + [.unsafeFlags(["-enable-testing"])]
    let support = Target.target(
        name: "FuzzSupport",
        dependencies: [
            "ChatWire",
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        path: "Tests/Fuzz/Support"
    )
    let fuzzers = fuzzTargets.map { name in
        Target.executableTarget(
            name: "Fuzz\(name)",
            dependencies: [
                "ChatWire",
                "FuzzSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Fuzz/\(name)",
            exclude: ["Seeds"]
        )
    }
    package.products = []
    package.dependencies = package.dependencies.filter {
        guard case .sourceControl(_, let location, _) = $0.kind else { return false }
        return location.hasSuffix("/swift-nio.git")
    }
    package.targets = chatWire + [support] + fuzzers
    for target in [support] + fuzzers {
        target.swiftSettings = swiftSettings
    }
}
