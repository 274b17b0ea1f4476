import ChatWire
import FuzzSupport

/// A `Punch` envelope's `Data`, as a peer sends it over a relayed connection, on any text: it never
/// crashes; what it accepts is `connect` with at most `maxAddresses` direct addresses (never a
/// LAN, relayed or punched one: a peer must not make us dial there), `sync` or `switch`, and it
/// reads its own rendering back as itself.
func fuzzPunch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let signal = PunchSignal(data: text) else { return 0 }
    if case .connect(let addresses) = signal {
        require(addresses.count <= PunchSignal.maxAddresses, "a connect with too many addresses")
        require(addresses.allSatisfy { $0.kind == .direct }, "a connect with an address that is not direct")
    }
    require(PunchSignal(data: signal.data) == signal, "a signal does not read back as itself")
    return 0
}
