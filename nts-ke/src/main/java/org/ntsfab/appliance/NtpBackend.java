package org.ntsfab.appliance;

import java.net.InetSocketAddress;
import java.util.Map;
import org.ntsfab.model.nts.KeyFile;

/**
 * What answers {@link Serve}'s NTP datagrams: the reference model ({@link ModelBackend}) or the simulated
 * hardware (the simulator's bridge). Called from one thread at a time.
 */
public interface NtpBackend extends AutoCloseable {
    /** Builds the backend for a configuration and the key file's keys at start. */
    interface Factory {
        NtpBackend create(org.ntsfab.model.ConfigFile cfg, KeyFile keys) throws Exception;
    }

    /** Sends an answer's UDP payload back to the client, at once. */
    interface Sender {
        void send(byte[] payload) throws java.io.IOException;
    }

    /**
     * Answers one datagram: hands the answer's UDP payload to {@code send} (at most once; not at all for no answer) at
     * the moment its transmit timestamp is due, then may go on with its own bookkeeping. {@code rxNanos} is
     * {@link System#nanoTime()} when the datagram was received.
     */
    void answer(byte[] payload, InetSocketAddress from, long rxNanos, Sender send) throws Exception;

    /** The master keys after a rotation (for new cookies and for opening cookies from now on). */
    void useKeys(KeyFile keys) throws Exception;

    /** Counters by name ({@code ntp.<outcome>} for the answers, then the backend's own). */
    Map<String, Long> counters();

    @Override
    default void close() throws Exception {}
}
