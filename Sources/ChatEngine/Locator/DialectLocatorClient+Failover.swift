import Logging

extension DialectLocatorClient {
    /// Logs in at the first replica that takes the login, trying each once, starting with the
    /// one after the replica last online (the first given when there was none).
    ///
    /// A replica that presents an identity other than the service's is refused, said loudly on
    /// `updates` (once per replica and identity), and passed over: with several replicas, one
    /// that is wrong must not keep the user from the others. When none takes the login, a start
    /// throws the refusal if there was one (the user must hear of it), a reconnect the other
    /// failure if there was one (the replicas that are down may come back).
    func establishOnAnyReplica(expecting expected: LocatorClientPhase) async throws -> LoginOutcome {
        let endpoints = await LocatorEndpoints.resolve(setup.addresses)
        if !endpoints.isEmpty { state.endpoints = endpoints }
        guard !state.endpoints.isEmpty else {
            throw LocatorClientError.unreachable(locator: setup.serviceName, reason: "no address of it resolves")
        }
        let order = Self.rotation(of: state.endpoints, after: state.onlineAt)
        var refusal: LocatorClientError?
        var otherFailure: (any Swift.Error)?
        for endpoint in order {
            do {
                return try await establishSession(expecting: expected, at: endpoint)
            } catch let error as LocatorClientError where error.refusesReplica && order.count > 1 {
                refusal = refusal ?? error
                if state.refusedReplicas.insert(error.description).inserted {
                    logger.error("refused a locator replica", metadata: ["reason": "\(error)"])
                    emit(.replicaRefused(error.description))
                }
            } catch let error as LocatorClientError where error.isFatal {
                throw error
            } catch {
                otherFailure = error
            }
            guard state.phase == expected else { throw supersededError }
        }
        let preferred = expected == .starting ? (refusal ?? otherFailure) : (otherFailure ?? refusal)
        throw preferred ?? LocatorClientError.unreachable(locator: setup.serviceName, reason: "no replica answered")
    }

    /// `endpoints` starting after `previous` (from the first when it is not among them).
    static func rotation(of endpoints: [LocatorEndpoint], after previous: LocatorEndpoint?) -> [LocatorEndpoint] {
        guard let previous, let index = endpoints.firstIndex(of: previous) else { return endpoints }
        let next = endpoints.index(after: index)
        return Array(endpoints[next...] + endpoints[..<next])
    }
}
