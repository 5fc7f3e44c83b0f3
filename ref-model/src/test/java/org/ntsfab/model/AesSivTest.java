package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.model.crypto.AesSiv;
import org.ntsfab.model.crypto.NonceGenerator;

/** AES-SIV against RFC 5297 Appendix A and Project Wycheproof's AES-SIV-CMAC vectors (256- and 512-bit keys). */
class AesSivTest {
    static byte[] h(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc5297A1DeterministicExample() {
        AesSiv siv = new AesSiv(h("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        byte[] out = siv.seal(List.of(h("101112131415161718191a1b1c1d1e1f2021222324252627")), h("112233445566778899aabbccddee"));
        assertArrayEquals(h("85632d07c6e8f37f950acd320a2ecc93 40c02b9690c4dc04daef7f6afe5c"), out);
        assertArrayEquals(h("112233445566778899aabbccddee"),
                siv.open(List.of(h("101112131415161718191a1b1c1d1e1f2021222324252627")), out).orElseThrow());
    }

    @Test
    void rfc5297A2NonceBasedExample() {
        AesSiv siv = new AesSiv(h("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f"));
        List<byte[]> header = List.of(
                h("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100"),
                h("102030405060708090a0"),
                h("09f911029d74e35bd84156c5635688c0"));
        byte[] pt = h("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553");
        byte[] out = siv.seal(header, pt);
        assertArrayEquals(h("7bdb6e3b432667eb06f4d14bff2fbd0f cb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d"), out);
        assertArrayEquals(pt, siv.open(header, out).orElseThrow());
    }

    /** Project Wycheproof aes_siv_cmac_test.json: tcId, key, aad, msg, V||C. */
    @ParameterizedTest(name = "wycheproof tc {0}")
    @CsvSource({
        "2,2b27e429fb6c02678e589ccc4437c5adfb44b331ab6d21ea321727e6ec03d354,,,b2b2354e3724dcdaa85ecf029b49a90c",
        "8,612e837843ceae7f61d49625faa7e7494f9253e20cb3adcea686512b043936cd,865d39ae9b5e9ff8d6308e00208745bc,cc37fae15f745a2f40e2c8b192f2b38d,c79c86cd7509e60a16ca8cec6bcaa1c58fbd6099718991fe775bf5a659d30a24",
        "33,000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,,110d3aa6f558c30977870672804064e0,ffffffffffffffffffffffffffffffff01f74b8e43a262001d8357f95489432e",
        "305,e2c5662bb18fbb411d0304e4241db073fe60a4704fee290073513038a22b4cd542580b2b4edbc37e3de01c0cb61abcad46986cdc491ce9e5ae5af223ff58b953,fab912dec29a34aabfaef176,0d,1c6969ecb15741a9959b7a8492250e391a",
        "320,139383f3f82dc78e0b380027f9e5fcd2ed23716404be5c554452e4dc73d237026594491820c6b8297185cc1fa84f49a5c7d7cd05c5de090ff1c3397bc2740437,d39da73ffc03ad0a9213ffc7,48604944a80fadf50d55b87727934458c8,a9cf73951cb39823777f35c96c845169476e2ec2317cb6b8dd8b6172fdceabff9d",
        "327,000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f,,72543a9a07a3c18a280060653432c05c,ffffffffffffffffffffffffffffffff3db09cc48f2780859351901d1014ae06",
    })
    void wycheproofVectors(int tc, String key, String aad, String msg, String ct) {
        AesSiv siv = new AesSiv(h(key));
        List<byte[]> header = List.of(h(aad == null ? "" : aad));
        byte[] m = h(msg == null ? "" : msg);
        assertArrayEquals(h(ct), siv.seal(header, m), "tc " + tc);
        assertArrayEquals(m, siv.open(header, h(ct)).orElseThrow());
    }

    @Test
    void anyFlippedBitIsRejected() {
        AesSiv siv = new AesSiv(h("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f"));
        List<byte[]> header = List.of(h("0011"), h("09f911029d74e35bd84156c5635688c0"));
        byte[] sealed = siv.seal(header, h("00112233445566778899aabbccddeeff0011"));
        for (int bit = 0; bit < 8 * sealed.length; bit++) {
            byte[] bad = sealed.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(siv.open(header, bad).isEmpty(), "bit " + bit);
        }
        byte[] otherNonce = h("09f911029d74e35bd84156c5635688c1");
        assertTrue(siv.open(List.of(h("0011"), otherNonce), sealed).isEmpty());
    }

    @Test
    void nonceGeneratorIsAesOfRequestAndIndex() {
        // FIPS-197 Appendix C.1: AES-128(000102..0f, 00112233..ff) = 69c4e0d86a7b0430d8cdb78070b4c55a
        NonceGenerator g = new NonceGenerator(h("000102030405060708090a0b0c0d0e0f"));
        byte[] n0 = g.nonce(0, 0);
        assertEquals(16, n0.length);
        var aes = new org.bouncycastle.crypto.engines.AESEngine();
        aes.init(true, new org.bouncycastle.crypto.params.KeyParameter(h("000102030405060708090a0b0c0d0e0f")));
        byte[] fips = new byte[16];
        aes.processBlock(h("00112233445566778899aabbccddeeff"), 0, fips, 0);
        assertArrayEquals(h("69c4e0d86a7b0430d8cdb78070b4c55a"), fips, "the AES under the generator is FIPS-197 AES");
        byte[] zero = new byte[16];
        aes.processBlock(new byte[16], 0, zero, 0);
        assertArrayEquals(zero, n0, "nonce (0, 0) = AES(seed, 0)");
        byte[] block = h("00000000000000050000000000000003");
        byte[] n53 = new byte[16];
        aes.processBlock(block, 0, n53, 0);
        assertArrayEquals(n53, g.nonce(5, 3), "nonce (5, 3) = AES(seed, 5 || 3), two 64-bit big-endian halves");
        assertTrue(!java.util.Arrays.equals(g.nonce(0, 1), g.nonce(1, 0)));
    }
}
