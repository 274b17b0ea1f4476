@testable import ChatEngine
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("LanCandidates", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip"), "needs iproute2's ip to list the addresses"))
struct LanCandidatesTests {
    /// The addresses `ip` lists, other than loopback and IPv6 link-local, in its own words.
    private func addressesFromIP() throws -> Set<String> {
        let ip = FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip"
        let run = try SpawnedProcess.run(ip, ["-o", "addr", "show"])
        #expect(run.status == 0)
        var addresses = Set<String>()
        for line in run.output.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 4, words[1] != "lo", let family = words.firstIndex(where: { $0 == "inet" || $0 == "inet6" }) else { continue }
            let address = String(words[family + 1].split(separator: "/")[0])
            if address.hasPrefix("127.") || address == "::1" || address.lowercased().hasPrefix("fe80:") { continue }
            addresses.insert(address)
        }
        return addresses
    }

    @Test("every address others can reach this machine at, as lan:ADDRESS:PORT; no loopback, no link-local")
    func matchesIP() throws {
        let expected = try addressesFromIP()
        let gathered = try LanCandidates.gather(port: 40123, limit: 16)
        #expect(gathered.allSatisfy { $0.kind == .lan && $0.port == 40123 })
        #expect(Set(gathered.map(\.host)).count == gathered.count)
        // `ip` writes IPv6 in its shortest form, as inet_ntop does.
        #expect(Set(gathered.map(\.host)) == expected)
    }

    @Test("at most the limit, IPv4 first")
    func limit() throws {
        let all = try LanCandidates.gather(port: 1, limit: 16)
        let one = try LanCandidates.gather(port: 1, limit: 1)
        #expect(one.count == min(1, all.count))
        if let first = all.first {
            #expect(one == [first])
            let firstIPv6 = all.firstIndex { $0.host.contains(":") } ?? all.count
            #expect(all[firstIPv6...].allSatisfy { $0.host.contains(":") })
        }
    }
}
