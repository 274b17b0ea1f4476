import Foundation
import NatTopology
import Testing
import TestSupport

/// `p2pchat bench paths`, run briefly: it prints every figure, and its namespaces are gone when it
/// ends, whether it finished or was interrupted. A suite of its own: one short run in the
/// namespaces takes longer than the end-to-end tests' two minutes.
@Suite("bench paths", .serialized, .timeLimit(.minutes(10)), .enabled(if: NatInternet.available, NatInternet.missingReason))
struct PathsBenchTests {
    @Test("prints the first message per path, a file relayed beside direct, the call's round trips and memory per relayed connection")
    func printsEveryFigure() async throws {
        try await Scenario.run { scenario in
            let bench = try await scenario.start(
                "bench paths", ["bench", "paths", "--tries", "2", "--size", "4M", "--call-seconds", "3", "--relayed-connections", "2"])
            bench.closeInput()
            #expect(try await bench.waitForExit(timeout: .seconds(500)) == 0, "\(bench.report())")
            let lines = bench.output.lines
            func line(_ prefix: String) -> String? {
                lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }
            }
            for path in ["lan", "direct", "punched", "relayed"] {
                let figures = try #require(line("\(path) "), "no first-message line for \(path)\n\(bench.report())")
                #expect(figures.hasSuffix(" ms"), "\(figures)")
            }
            #expect(line("punched: until the connection is punched")?.hasSuffix(" ms") == true, "\(bench.report())")
            #expect(line("file 4 MiB direct")?.contains("MB/s (the ceiling)") == true, "\(bench.report())")
            #expect(line("file 4 MiB relayed")?.contains("MB/s") == true, "\(bench.report())")
            #expect(line("relayed / direct  ")?.contains("× (goal ≥ 0.5×)") == true, "\(bench.report())")
            // The calls took the paths they are named after, and each reported its round trip.
            #expect(line("direct  (path direct,")?.hasSuffix(" ms") == true, "\(bench.report())")
            #expect(line("relayed (path relayed,")?.hasSuffix(" ms") == true, "\(bench.report())")
            #expect(line("added one way by the relay")?.contains("(goal ≤ 5 ms)") == true, "\(bench.report())")
            #expect(line("client memory (RSS), relayed connections (3 of 3 shown relayed") != nil, "\(bench.report())")
            #expect(line("per relayed connection")?.contains("KiB") == true, "\(bench.report())")
            #expect(try Self.namespaces(of: bench).isEmpty)
        }
    }

    @Test("Ctrl-C in the middle of a run deletes its namespaces")
    func interruptedRunCleansUp() async throws {
        try await Scenario.run { scenario in
            let bench = try await scenario.start("bench paths", ["bench", "paths", "--tries", "50", "--size", "1M"])
            bench.closeInput()
            // It prints a line for each path as it goes: the first means namespaces, coturn and clients are up.
            _ = try await bench.waitForLine(timeout: .seconds(300), "the first path's figures") { $0.hasPrefix("  lan:") }
            #expect(try !Self.namespaces(of: bench).isEmpty)
            // Its own scratch directory: another run of the benchmark on the machine has its own.
            let scratch = Self.scratchDirectories(of: bench.processIdentifier)
            #expect(!scratch.isEmpty, "no program of the benchmark names its scratch directory")
            bench.signal(SIGINT)
            #expect(try await bench.waitForExit(timeout: .seconds(60)) == 128 + SIGINT, "\(bench.report())")
            #expect(bench.errors.lines.contains("bench paths: interrupted; its namespaces are deleted"), "\(bench.report())")
            #expect(try Self.namespaces(of: bench).isEmpty)
            // Nor a program it started, the client it was starting again included.
            let left = Self.processes().filter { process in scratch.contains { process.commandLine.contains($0) } }
            #expect(left.isEmpty, "\(left)")
        }
    }

    /// A process: its id, its parent's, and its command line with the arguments joined by spaces.
    private struct Process: CustomStringConvertible {
        var id: Int32
        var parent: Int32
        var commandLine: String
        var description: String { "\(id): \(commandLine)" }
    }

    private static func processes() -> [Process] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let id = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let line = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/cmdline")),
                  // "id (name) state parent …": the name may hold spaces and parentheses.
                  let nameEnd = stat.lastIndex(of: ")"),
                  let parent = stat[stat.index(after: nameEnd)...].split(separator: " ").dropFirst().first.flatMap({ Int32($0) })
            else { return nil }
            return Process(id: id, parent: parent, commandLine: String(decoding: line.map { $0 == 0 ? 32 : $0 }, as: UTF8.self))
        }
    }

    /// The `bench paths` scratch directories named on the command lines of `root` and of the
    /// processes it started, and theirs.
    private static func scratchDirectories(of root: Int32) -> Set<String> {
        let all = processes()
        var family: Set<Int32> = [root]
        var grew = true
        while grew {
            grew = false
            for process in all where !family.contains(process.id) && family.contains(process.parent) {
                family.insert(process.id)
                grew = true
            }
        }
        let marker = "p2pchat-bench-paths-"
        return Set(all.filter { family.contains($0.id) }.flatMap { process in
            process.commandLine.split(separator: " ").compactMap { argument -> String? in
                guard let found = argument.range(of: marker) else { return nil }
                // The directory's name ends with a UUID (36 characters).
                let end = argument.index(found.upperBound, offsetBy: 36, limitedBy: argument.endIndex) ?? argument.endIndex
                return String(argument[..<end])
            }
        })
    }

    /// The namespaces `bench` made that still exist (it tags them `b` and its process id).
    private static func namespaces(of bench: ChildProcess) throws -> [String] {
        let listed = try SpawnedProcess.run(NatInternet.ip.path, ["netns", "list"])
        let names = Set(listed.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        return NatTopology(tag: "b\(bench.processIdentifier % 100_000)").namespaces.filter(names.contains)
    }
}
