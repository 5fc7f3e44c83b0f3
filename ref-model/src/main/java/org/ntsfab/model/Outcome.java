package org.ntsfab.model;

/**
 * Every way a received frame can end, one counter each. {@link Action} says what happens to the
 * frame: answered in fabric, passed to the host port, or dropped. docs/responder-spec.md gives the
 * rule behind each.
 */
public enum Outcome {
    ANSWER_NTP(Action.ANSWER),
    ANSWER_NTS(Action.ANSWER),
    ANSWER_NTS_NAK_COOKIE(Action.ANSWER),
    ANSWER_NTS_NAK_AUTH(Action.ANSWER),
    ANSWER_ARP(Action.ANSWER),
    ANSWER_ICMP_ECHO(Action.ANSWER),
    ANSWER_ICMPV6_ECHO(Action.ANSWER),
    ANSWER_NDP_ADVERT(Action.ANSWER),

    HOST_NOT_FOR_US(Action.HOST),
    HOST_ETHERTYPE(Action.HOST),
    HOST_ARP(Action.HOST),
    HOST_IPV4_FRAGMENT(Action.HOST),
    HOST_IPV4_PROTOCOL(Action.HOST),
    HOST_IPV6_NEXT_HEADER(Action.HOST),
    HOST_ICMP(Action.HOST),
    HOST_ICMPV6(Action.HOST),
    HOST_UDP_PORT(Action.HOST),

    DROP_RX_ERROR(Action.DROP),
    DROP_RUNT(Action.DROP),
    DROP_OVERSIZE(Action.DROP),
    DROP_NOT_FOR_US(Action.DROP),
    DROP_IPV4_HEADER(Action.DROP),
    DROP_IPV4_CHECKSUM(Action.DROP),
    DROP_IPV6_HEADER(Action.DROP),
    DROP_BAD_SOURCE(Action.DROP),
    DROP_UDP_LENGTH(Action.DROP),
    DROP_UDP_CHECKSUM(Action.DROP),
    DROP_ICMP_MALFORMED(Action.DROP),
    DROP_ICMP_TOO_LONG(Action.DROP),
    DROP_NTP_SHORT(Action.DROP),
    DROP_NTP_VERSION(Action.DROP),
    DROP_NTP_MODE(Action.DROP),
    DROP_NTP_CONTROL(Action.DROP),
    DROP_NTP_EXTENSION(Action.DROP),
    DROP_NTP_MAC(Action.DROP),
    DROP_NTS_DISABLED(Action.DROP),
    DROP_NTS_MALFORMED(Action.DROP),
    /**
     * An NTS request no NTS core had room for (spec §9.7): the model decides it by its own rule from the configuration's
     * capacity ({@link org.ntsfab.model.nts.NtsCores}); without one (the software appliance) it never happens.
     */
    DROP_NTS_OVERLOAD(Action.DROP);

    public enum Action { ANSWER, HOST, DROP }

    private final Action action;

    Outcome(Action a) {
        this.action = a;
    }

    public Action action() {
        return action;
    }

    /** An NTS answer or NAK (spec §9): sealed or stamped by the NTS fabric, departing at its reserved cycle. */
    public boolean nts() {
        return this == ANSWER_NTS || this == ANSWER_NTS_NAK_COOKIE || this == ANSWER_NTS_NAK_AUTH;
    }

    public String counterName() {
        return name().toLowerCase();
    }
}
