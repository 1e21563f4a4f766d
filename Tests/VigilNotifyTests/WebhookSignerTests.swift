import Testing
import VigilSettings
@testable import VigilNotify

@Suite struct WebhookSignerTests {
    /// The example of the Standard Webhooks specification (the same value the `standardwebhooks`
    /// package from PyPI computes).
    @Test func theSpecificationsExampleSignsAlike() throws {
        let key = try #require(WebhookSecret.decode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signer = WebhookSigner(secrets: [key])
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func everySecretSignsSoKeysCanRotate() throws {
        let old = try #require(WebhookSecret.decode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let new = try #require(WebhookSecret.decode("whsec_" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="))
        let both = WebhookSigner(secrets: [new, old]).signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        let parts = both.split(separator: " ")
        #expect(parts.count == 2)
        #expect(parts[1] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(parts[0].hasPrefix("v1,") && parts[0] != parts[1])
    }

    @Test func secretsAreBase64WithAnOptionalPrefixAndAtLeast16Bytes() {
        #expect(WebhookSecret.decode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.count == 24)
        #expect(WebhookSecret.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.count == 24)
        #expect(WebhookSecret.decode("whsec_not base64!") == nil)
        #expect(WebhookSecret.decode("whsec_c2hvcnQ=") == nil)
    }
}
