package org.ntsfab.responder.nts;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.UInt;
import org.ntsfab.responder.decide.AnswerJob;

/**
 * An NTS engine's job: the decision stage's job for the request, where its UDP payload lies in the frame, and the
 * request's number (for the nonces, spec §9.6). The request's fields are flattened without a prefix.
 */
public final class NtsJob extends Bundle {
    public final AnswerJob request = new AnswerJob();
    /** The UDP payload's offset in the frame and its length in bytes. */
    public final UInt payload_offset = new UInt(8);
    public final UInt payload_length = new UInt(11);
    /** Admitted NTS requests before this one since the nonce seed was loaded. */
    public final Bits request_number = new Bits(64);

    @Override
    protected String memberName(String field) {
        return field.equals("request") ? "" : field;
    }
}
