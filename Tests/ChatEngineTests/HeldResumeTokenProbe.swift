@testable import ChatEngine
import ChatWire

// Apart from the failover tests: TestSupport's own ModernLocatorClient would make the name ambiguous there.

/// The resumption token a modern locator client holds now; nil for none, or for a course client.
func heldResumeToken(of client: any LocatorClient) async -> ResumeToken? {
    guard let modern = client as? ModernLocatorClient else { return nil }
    return await modern.resumeToken?.token
}
