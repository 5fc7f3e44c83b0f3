package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.ExtensionField;

/**
 * Spec §9.1 as the NTS core's parser must apply it: the fields and offsets of a chrony-shaped request from RFC 8915's
 * layout (header 48, Unique Identifier 4 + 32, Cookie 4 + 100, placeholders 4 + 100 each, Authenticator 4 + 4 + nonce
 * 16 + ciphertext), and each rule's violation malformed.
 */
class NtsRequestTest {
    private static final byte[] HEADER = FrameBuilder.ntpRequest(4, 3, 0x1122334455667788L);

    private static byte[] auth(int nonceLength, int ciphertextLength, int bodyPad) {
        byte[] body = new byte[4 + ((nonceLength + 3) & ~3) + ((ciphertextLength + 3) & ~3) + bodyPad];
        Bytes.put16(body, 0, nonceLength);
        Bytes.put16(body, 2, ciphertextLength);
        return ExtensionField.write(Responder.EF_AUTHENTICATOR, body);
    }

    private static Optional<NtsRequest> parse(byte[]... fields) throws Exception {
        byte[] req = FrameBuilder.concat(HEADER, FrameBuilder.concat(fields));
        return NtsRequest.parse(req, ExtensionField.walk(req, 48, req.length, true));
    }

    private static byte[] ef(int type, int bodyLength) {
        return ExtensionField.write(type, new byte[bodyLength]);
    }

    private static final byte[] UID = ef(Responder.EF_UNIQUE_ID, 32), COOKIE = ef(Responder.EF_COOKIE, 100),
            PLACEHOLDER = ef(Responder.EF_PLACEHOLDER, 100);

    @Test
    void aChronyShapedRequestsFieldsAreWhereRfc8915PutsThem() throws Exception {
        NtsRequest r = parse(UID, COOKIE, PLACEHOLDER, PLACEHOLDER, auth(16, 16, 0)).orElseThrow();
        assertEquals(48, r.uid().offset());
        assertEquals(84, r.cookie().offset());
        assertEquals(100, r.cookieBody());
        assertEquals(2, r.placeholders());
        int authAt = 84 + 104 + 2 * 104;
        assertEquals(authAt, r.auth().offset());
        assertEquals(authAt, r.adLength(), "the AD is everything before the authenticator");
        assertEquals(authAt + 8, r.nonceOffset());
        assertEquals(16, r.nonceLength());
        assertEquals(authAt + 8 + 16, r.ciphertextOffset());
        assertEquals(16, r.ciphertextLength());
        // a 17-byte nonce is padded to 20 before the ciphertext; padding after both is allowed
        NtsRequest p = parse(UID, COOKIE, auth(17, 30, 8)).orElseThrow();
        assertEquals(84 + 104 + 8 + 20, p.ciphertextOffset());
        assertEquals(30, p.ciphertextLength());
        // other fields (unknown types) anywhere before the authenticator are ignored
        assertTrue(parse(ef(0x1234, 12), UID, ef(0x4321, 40), COOKIE, auth(16, 16, 0)).isPresent());
    }

    @Test
    void everyRuleOfSection91() throws Exception {
        assertTrue(parse(ef(Responder.EF_UNIQUE_ID, 28), COOKIE, auth(16, 16, 0)).isEmpty(), "Unique Identifier below 32 bytes");
        assertTrue(parse(UID, UID, COOKIE, auth(16, 16, 0)).isEmpty(), "two Unique Identifiers");
        assertTrue(parse(COOKIE, auth(16, 16, 0)).isEmpty(), "no Unique Identifier");
        assertTrue(parse(UID, auth(16, 16, 0)).isEmpty(), "no cookie");
        assertTrue(parse(UID, COOKIE, COOKIE, auth(16, 16, 0)).isEmpty(), "two cookies");
        assertTrue(parse(UID, COOKIE, ef(Responder.EF_PLACEHOLDER, 96), auth(16, 16, 0)).isEmpty(), "a placeholder of another length");
        assertTrue(parse(UID, ef(Responder.EF_PLACEHOLDER, 96), COOKIE, auth(16, 16, 0)).isEmpty(), "a placeholder before, of another length");
        assertTrue(parse(UID, COOKIE).isEmpty(), "no authenticator");
        assertTrue(parse(UID, COOKIE, auth(16, 16, 0), ef(0x1234, 12)).isEmpty(), "a field after the authenticator");
        assertTrue(parse(UID, COOKIE, auth(12, 16, 4)).isEmpty(), "nonce below 16 bytes");
        assertTrue(parse(UID, COOKIE, auth(16, 12, 4)).isEmpty(), "ciphertext below 16 bytes (no room for the tag)");
        // nonce and ciphertext lengths that overrun the body
        byte[] over = auth(16, 16, 0);
        Bytes.put16(over, 6, 20);
        assertTrue(parse(UID, COOKIE, over).isEmpty(), "ciphertext overruns the field");
        assertTrue(parse(UID, COOKIE, PLACEHOLDER, auth(16, 16, 0)).isPresent(), "and the well-formed one is accepted");
    }

    @Test
    void theResponderDropsWhatTheParserRefuses() throws Exception {
        Responder r = new Responder(Fixture.config());
        byte[] payload = FrameBuilder.concat(HEADER, FrameBuilder.concat(List.of(UID, COOKIE, COOKIE, auth(16, 16, 0)).toArray(new byte[0][])));
        byte[] frame = FrameBuilder.udpFrame(Fixture.endpoints(-1), false, 40000, 123, payload);
        assertEquals(Outcome.DROP_NTS_MALFORMED, r.process(frame, false, 0).outcome());
    }
}
