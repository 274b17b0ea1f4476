import NIOCore
import Synchronization

/// Slows down password guessing: failed logins are counted per (account, address) and per
/// address, and past a few free ones each failure bars the next attempt for a penalty that
/// doubles with every further failure, up to a ceiling (as OpenSSH's `PerSourcePenalties` and
/// fail2ban do). A barred attempt is answered at once, without hashing: guessing costs the
/// guesser time and the locator nothing. There is no lock per account alone, so the real user,
/// logging in from another address, is never locked out by someone guessing their password.
///
/// Once an account or an address has failures on record, attempts in flight count too: one at a
/// time per (account, address) and a few per address, so that many connections firing together
/// the moment a penalty ends cannot slip a wave of guesses past it. (Before any failure they do
/// not: many users behind one address log in at once.)
final class LoginThrottle: Sendable {
    struct Policy: Sendable {
        /// Failures for one account from one address before penalties start.
        var freeFailuresPerAccount = 3
        /// Failures from one address, over all accounts, before penalties start.
        var freeFailuresPerAddress = 10
        /// The first penalty; each further failure doubles it.
        var firstPenalty = TimeAmount.seconds(1)
        var longestPenalty = TimeAmount.minutes(10)
        /// A record with no failure for this long (and no penalty running) is forgotten.
        var forgetAfter = TimeAmount.minutes(30)
        /// Attempts being checked at once from one address.
        var attemptsInFlightPerAddress = 4
    }

    /// How an attempt that `begin` let through ended.
    enum Outcome {
        case succeeded
        case wrongPassword
        /// Neither: a registration refused, a failure of the locator's own.
        case undecided
    }

    private struct Key: Hashable {
        /// `nil` for the address's own record.
        var user: String?
        var host: String
    }

    private struct Record {
        var failures = 0
        var barredUntil = NIODeadline.uptimeNanoseconds(0)
        var lastFailure = NIODeadline.uptimeNanoseconds(0)
        var inFlight = 0
    }

    let policy: Policy
    private let records = Mutex<[Key: Record]>([:])

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Lets an attempt of `user` from `host` go ahead (then `end` must follow) and returns `nil`,
    /// or returns how long until it may be tried again.
    func begin(user: String, host: String, now: NIODeadline = .now()) -> TimeAmount? {
        let pair = Key(user: user, host: host)
        let address = Key(user: nil, host: host)
        return records.withLock { records in
            let until = [pair, address].compactMap { records[$0]?.barredUntil }.max() ?? now
            if until > now { return until - now }
            if let record = records[pair], record.failures > 0, record.inFlight >= 1 { return policy.firstPenalty }
            if let record = records[address], record.failures > 0, record.inFlight >= policy.attemptsInFlightPerAddress {
                return policy.firstPenalty
            }
            records[pair, default: Record()].inFlight += 1
            records[address, default: Record()].inFlight += 1
            return nil
        }
    }

    /// The attempt `begin` let through has ended with `outcome`.
    func end(user: String, host: String, _ outcome: Outcome, now: NIODeadline = .now()) {
        let pair = Key(user: user, host: host)
        let address = Key(user: nil, host: host)
        records.withLock { records in
            records[pair]?.inFlight -= 1
            records[address]?.inFlight -= 1
            switch outcome {
            case .wrongPassword:
                Self.count(&records[pair, default: Record()], free: policy.freeFailuresPerAccount, now: now, policy: policy)
                Self.count(&records[address, default: Record()], free: policy.freeFailuresPerAddress, now: now, policy: policy)
            case .succeeded:
                // Their own failures from there are forgotten; the address's stay.
                records[pair] = nil
            case .undecided:
                break
            }
        }
    }

    /// Forgets records that have gone quiet.
    func prune(now: NIODeadline = .now()) {
        records.withLock { records in
            records = records.filter { _, record in
                record.inFlight > 0 || record.barredUntil > now || now - record.lastFailure < policy.forgetAfter
            }
        }
    }

    private static func count(_ record: inout Record, free: Int, now: NIODeadline, policy: Policy) {
        if record.barredUntil <= now, now - record.lastFailure >= policy.forgetAfter { record.failures = 0 }
        record.failures += 1
        record.lastFailure = now
        let excess = record.failures - free
        guard excess > 0 else { return }
        // 1, 2, 4 … times the first penalty; the shift is capped so it cannot overflow.
        let penalty = min(policy.firstPenalty.nanoseconds << Int64(min(excess - 1, 30)), policy.longestPenalty.nanoseconds)
        record.barredUntil = now + .nanoseconds(penalty)
    }
}
