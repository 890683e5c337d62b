package dev.quota.core;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BatchingUsageWriter}'s worker threads (daemons), one per partition of the buffer: each takes the next
 * batch of its partition (or a failed batch that is due) from the buffer, writes it
 * in one round of retries and settles it, until the buffer says the writer has stopped. Thread-safe.
 */
final class UsageWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingUsageWriter.class);

    private final UsageBuffer buffer;
    private final BatchWriter writer;
    private final BatchSettler settler;
    private final List<Thread> threads = new ArrayList<>();

    /** One thread per partition of the buffer; thread i writes partition i's batches (and any failed batch). */
    UsageWorkers(String namePrefix, UsageBuffer buffer, BatchWriter writer, BatchSettler settler) {
        this.buffer = buffer;
        this.writer = writer;
        this.settler = settler;
        for (int i = 0; i < buffer.partitions(); i++) {
            int partition = i;
            Thread t = new Thread(() -> run(partition), namePrefix + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts the threads; once. */
    void start() {
        threads.forEach(Thread::start);
    }

    /**
     * Writes one round of a batch and settles it: every event is told {@code committing} first; a round that
     * still fails after its retries goes back to the buffer through the settler.
     *
     * @param batch the batch
     */
    void write(UsageBatch batch) {
        batch.ticketsAtStart = buffer.ticketsIssued();
        batch.tellCommitting();
        UsageTarget.Written result;
        try {
            result = writer.write(batch.events());
        } catch (RuntimeException e) {
            settler.failed(batch, e);
            return;
        }
        settler.written(batch, result);
    }

    /**
     * Waits, uninterruptibly, until every thread has ended (call after the buffer began closing); a call from a
     * worker thread (a callback closing the writer) skips that thread, which ends on its own.
     */
    void awaitEnd() {
        boolean interrupted = false;
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(int partition) {
        try {
            UsageBatch batch;
            while ((batch = buffer.next(partition)) != null) {
                write(batch);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Usage writer thread {} stopped unexpectedly", Thread.currentThread().getName(), e);
            throw e;
        }
    }
}
