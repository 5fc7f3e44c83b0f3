package org.ntsfab.harness;

import java.util.List;

/**
 * A stream the harness drives (source: into the design) or watches (sink: out of the design):
 * its valid port, its ready port (null for a flow without backpressure) and its payload ports.
 */
public record StreamSpec(String name, String valid, String ready, List<String> payload) {
    public StreamSpec {
        payload = List.copyOf(payload);
    }
}
