package dev.kiln.runtime.wasi;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.ArrayDeque;

/**
 * The guest's standard input. Reads go straight to the stream while it has input ready; once a read
 * would block, or a {@code poll_oneoff} needs to wait for input with a timeout, a daemon thread reads
 * ahead into a queue (as wasmtime's worker-thread stdin does), because a plain {@link InputStream}
 * can neither be polled nor interrupted. The guest then waits on the queue, where
 * {@link dev.kiln.runtime.Store#interrupt()} wakes it: the read traps with "interrupted".
 */
final class StdinStream {
    private final InputStream in;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] head;
    private int headPos;
    private boolean eof;
    private IOException failure;
    private Thread pump;

    StdinStream(InputStream in) {
        this.in = in;
    }

    /** Reads at least one byte, blocking (interruptibly); returns -1 at end of input. */
    int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        synchronized (this) {
            if (pump == null && !inputReady()) startPump();
            if (pump != null) return readBuffered(buf, off, len);
        }
        return in.read(buf, off, len); // input is ready; guest calls are serial, so the pump cannot start meanwhile
    }

    private boolean inputReady() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true; // a read reports the failure at once
        }
    }

    private int readBuffered(byte[] buf, int off, int len) throws IOException {
        while (head == null && chunks.isEmpty() && !eof && failure == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                throw new TrapException(TrapKind.INTERRUPTED); // Store.interrupt() woke the waiting program
            }
        }
        if (head == null) head = chunks.pollFirst();
        if (head == null) {
            if (failure != null) throw failure;
            return -1;
        }
        int n = Math.min(len, head.length - headPos);
        System.arraycopy(head, headPos, buf, off, n);
        headPos += n;
        if (headPos == head.length) {
            head = null;
            headPos = 0;
        }
        return n;
    }

    /** True when a read would not block (data is buffered, or input has ended). */
    synchronized boolean readyNow() {
        if (pump != null) return head != null || !chunks.isEmpty() || eof || failure != null;
        return inputReady();
    }

    /** Bytes known to be readable without blocking (at least 1 when {@link #readyNow}). */
    synchronized long availableHint() {
        if (pump == null) {
            try {
                return Math.max(1, in.available());
            } catch (IOException e) {
                return 1;
            }
        }
        long n = head != null ? head.length - headPos : 0;
        for (byte[] c : chunks) n += c.length;
        return Math.max(1, n);
    }

    /**
     * Waits until a read would not block or {@code timeoutNanos} pass (negative: no limit); returns
     * whether input is ready.
     */
    synchronized boolean awaitReady(long timeoutNanos) throws InterruptedException {
        if (readyNow()) return true;
        startPump();
        long deadline = System.nanoTime() + timeoutNanos;
        while (!readyNow()) {
            if (timeoutNanos < 0) {
                wait();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
        return true;
    }

    private void startPump() {
        if (pump != null) return;
        pump = Thread.ofPlatform().daemon().name("wasi-stdin").start(() -> {
            byte[] buf = new byte[GuestMemory.CHUNK];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    synchronized (this) {
                        failure = e;
                        notifyAll();
                    }
                    return;
                }
                synchronized (this) {
                    if (n < 0) {
                        eof = true;
                        notifyAll();
                        return;
                    }
                    if (n > 0) chunks.addLast(Arrays.copyOf(buf, n));
                    notifyAll();
                }
            }
        });
    }
}
