package org.ntsfab.ip.aes;

import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Stream;

/**
 * {@link AesSivOps} on its own key-agile AES pipeline (one round per stage): the unit the NTS core instantiates per
 * pipeline, and what its bench measures (docs/nts-core.md).
 */
public final class AesSivOpsUnit extends Component {
    public final Stream<AesLanes.DataWrite> data_wr;
    public final Stream<AesLanes.KeyWrite> key_wr;
    public final Stream<AesSivOps.KeyOp> key_op;
    public final Stream<AesSivOps.Op> op;
    public final Stream<AesSivOps.Done> done;
    public final Stream<AesLanes.ReadReq> rd_req;
    public final Stream<AesLanes.ReadRes> rd_res;
    public final Stream<AesLanes.BlockWrite> blk_wr;
    public final org.ntsfab.hdl.Flow<AesSivOps.CtrWrite> ctr_wr;
    /** High in every cycle a block enters the AES pipeline. */
    public final Bool aes_issue;

    public AesSivOpsUnit(int keyBits, int lanes, int keys, int dataWords) {
        int lb = Integer.numberOfTrailingZeros(lanes), kb = Integer.numberOfTrailingZeros(keys), ab = Integer.numberOfTrailingZeros(dataWords);
        moduleName("aes_siv" + (keyBits == AesPipeline.MIXED ? "_mixed" : 2 * keyBits) + "_ops_unit_" + lanes + (keys == 64 && dataWords == 1024 ? "" : "_k" + keys + "_w" + dataWords));
        AesSivOps o = add("ops", new AesSivOps(keyBits, lanes, keys, dataWords));
        AesPipeline p = add("aes", new AesPipeline(keyBits, 1, o.aes_req.payload.tag.width()));
        data_wr = slave(new Stream<>(new AesLanes.DataWrite(ab)));
        key_wr = slave(new Stream<>(new AesLanes.KeyWrite(kb, keyBits)));
        key_op = slave(new Stream<>(new AesSivOps.KeyOp(lb, kb, keyBits)));
        op = slave(new Stream<>(new AesSivOps.Op(lb, kb, ab)));
        done = master(new Stream<>(new AesSivOps.Done(lb)));
        rd_req = slave(new Stream<>(new AesLanes.ReadReq(ab)));
        rd_res = master(new Stream<>(new AesLanes.ReadRes()));
        aes_issue = out(new Bool());
        blk_wr = slave(new Stream<>(new AesLanes.BlockWrite(ab)));
        o.blk_wr.connectFrom(blk_wr);
        ctr_wr = master(new org.ntsfab.hdl.Flow<>(new AesSivOps.CtrWrite(lb, ab)));
        ctr_wr.connectFrom(o.ctr_wr);
        o.data_wr.connectFrom(data_wr);
        o.key_wr.connectFrom(key_wr);
        o.key_op.connectFrom(key_op);
        o.op.connectFrom(op);
        done.connectFrom(o.done);
        o.rd_req.connectFrom(rd_req);
        rd_res.connectFrom(o.rd_res);
        aes_issue.set(o.aes_issue);
        p.in.connectFrom(o.aes_req);
        o.aes_res.connectFrom(p.out);
    }
}
