package dev.kiln.frontend;

import java.util.function.Supplier;

/** A module's whole binary: at hand, or read once at the first {@link #get()} (a codeless image's bodies). */
final class WholeBinary implements Supplier<byte[]> {
    private volatile byte[] bytes;
    private Supplier<byte[]> source;

    WholeBinary(byte[] bytes) {
        this.bytes = bytes;
    }

    WholeBinary(Supplier<byte[]> source) {
        this.source = source;
    }

    @Override
    public byte[] get() {
        byte[] b = bytes;
        if (b == null) {
            synchronized (this) {
                b = bytes;
                if (b == null) {
                    b = source.get();
                    bytes = b;
                    source = null;
                }
            }
        }
        return b;
    }

    boolean isRead() {
        return bytes != null;
    }
}
