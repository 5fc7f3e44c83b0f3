package org.ntsfab.model.config;

import java.io.IOException;

/** A configuration or key file that is not what it must be: the message is one line naming the line and key where known. */
public final class ConfigException extends IOException {
    public ConfigException(String oneLine) {
        super(oneLine);
    }
}
