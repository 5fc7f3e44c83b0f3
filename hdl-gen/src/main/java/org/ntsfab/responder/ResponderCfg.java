package org.ntsfab.responder;

import org.ntsfab.hdl.Bits;
import org.ntsfab.hdl.Bool;
import org.ntsfab.hdl.Bundle;
import org.ntsfab.hdl.UInt;

/** The responder's configuration as one port bundle (flattened {@code cfg_<name>}), passed whole between stages. */
public final class ResponderCfg extends Bundle {
    public final Bits mac = new Bits(48);
    public final Bool ipv4_en = new Bool();
    public final Bits ipv4 = new Bits(32);
    public final Bool ipv6_en = new Bool();
    public final Bits ipv6 = new Bits(128);
    public final Bool vlan_en = new Bool();
    public final UInt vlan = new UInt(12);
    public final Bool forward_unmatched = new Bool();
    public final UInt icmp_max_payload = new UInt(16);
    public final UInt ttl = new UInt(8);
    public final UInt stratum = new UInt(8);
    public final Bits precision = new Bits(8);
    public final Bits refid = new Bits(32);
    public final Bits root_delay = new Bits(32);
    public final Bits root_dispersion = new Bits(32);
    public final Bool synced = new Bool();
    public final Bool nts_en = new Bool();
}
