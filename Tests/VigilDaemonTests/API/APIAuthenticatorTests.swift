import Testing
import VigilSettings
@testable import VigilDaemon

@Suite struct APIAuthenticatorTests {
    let authenticator = APIAuthenticator(
        tokens: [.init(name: "ops", secret: "s3cret-one"), .init(name: "ci", secret: "another")], anonymousReads: false)

    @Test func aTokenIsKnownByItsWholeSecretOnly() {
        #expect(authenticator.name(of: "s3cret-one") == "ops")
        #expect(authenticator.name(of: "another") == "ci")
        for wrong in ["", "s3cret", "s3cret-one ", "s3cret-onf", "S3CRET-ONE", "s3cret-ones3cret-one", "x"] {
            #expect(authenticator.name(of: wrong) == nil, "\(wrong)")
        }
    }

    @Test func theBearerHeaderIsParsedAsRFC6750Says() {
        #expect(APIAuthenticator.bearer("Bearer abc") == "abc")
        #expect(APIAuthenticator.bearer("bearer  abc ") == "abc")
        #expect(APIAuthenticator.bearer("Basic abc") == nil)
        #expect(APIAuthenticator.bearer("Bearer") == nil)
        #expect(APIAuthenticator.bearer(nil) == nil)
    }
}
