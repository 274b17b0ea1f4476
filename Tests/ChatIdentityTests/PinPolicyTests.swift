import ChatIdentity
import Testing

@Suite("PinPolicy")
struct PinPolicyTests {
    let pinned = Fingerprint(publicKeyDER: Array("pinned".utf8))
    let other = Fingerprint(publicKeyDER: Array("other".utf8))

    @Test("expect accepts only the pinned fingerprint")
    func expect() {
        #expect(PinPolicy.expect(self.pinned).check(self.pinned) == .success(self.pinned))
        #expect(
            PinPolicy.expect(self.pinned).check(self.other)
                == .failure(PinMismatchError(expected: self.pinned, presented: self.other))
        )
        #expect(
            PinPolicy.expect(self.pinned).check(nil)
                == .failure(PinMismatchError(expected: self.pinned, presented: nil))
        )
    }

    @Test("trust on first use and accept any take any certificate, but not none", arguments: [PinPolicy.trustOnFirstUse, .acceptAny])
    func acceptsAny(_ policy: PinPolicy) {
        #expect(policy.check(self.other) == .success(self.other))
        #expect(policy.check(nil) == .failure(PinMismatchError(expected: nil, presented: nil)))
    }
}
