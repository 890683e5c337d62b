package dev.quota.core.internal;

import dev.quota.core.QuotaListener;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool that takes cache writes off the hot path: a fixed number of workers, a bounded queue,
 * a per-task timeout (the worker is interrupted when a task overruns). When the queue is full, critical
 * writes (usage increments) run on the caller's thread and refills are dropped; drops are counted and
 * logged at most once per interval. {@link #close()} drains the queue. Thread-safe.
 */
public final class CacheWritePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheWritePool.class);

    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private final Duration taskTimeout;
    private final QuotaListener listener;
    private final ThrottledLog dropLog;
    private final ThrottledLog failLog;
    private final AtomicLong synchronous = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Object idle = new Object();
    private final AtomicLong running = new AtomicLong();

    /**
     * @param workerCount workers
     * @param queueSize queue capacity
     * @param taskTimeout per-task timeout
     * @param dropLogInterval minimum time between two drop warnings
     * @param clock the clock for log throttling
     * @param listener the listener
     */
    public CacheWritePool(int workerCount, int queueSize, Duration taskTimeout, Duration dropLogInterval,
                          Clock clock, QuotaListener listener) {
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueSize), Threads.daemon("quota-cache-write"),
                new ThreadPoolExecutor.AbortPolicy());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Threads.daemon("quota-cache-write-watchdog"));
        this.taskTimeout = taskTimeout;
        this.listener = listener;
        this.dropLog = new ThrottledLog(LOG, clock, dropLogInterval);
        this.failLog = new ThrottledLog(LOG, clock, dropLogInterval);
    }

    /**
     * Queues a critical write; runs it on the caller's thread when the queue is full or the pool closed.
     *
     * @param what a description for logs
     * @param task the write
     */
    public void submitCritical(String what, Runnable task) {
        if (!enqueue(what, task)) {
            synchronous.incrementAndGet();
            Listeners.safely(() -> listener.onCacheWriteRanSynchronously(what));
            runGuarded(what, task);
        }
    }

    /**
     * Queues a refill; drops it when the queue is full or the pool closed.
     *
     * @param what a description for logs
     * @param task the write
     */
    public void submitRefill(String what, Runnable task) {
        if (!enqueue(what, task)) {
            dropLog.record("cache write queue full or closed: dropped {} refills (latest: {})", what);
            Listeners.safely(() -> listener.onCacheWriteDropped(what));
        }
    }

    private boolean enqueue(String what, Runnable task) {
        if (workers.isShutdown()) {
            return false;
        }
        running.incrementAndGet();
        try {
            workers.execute(() -> runWithTimeout(what, task));
            return true;
        } catch (RejectedExecutionException full) {
            finished();
            return false;
        }
    }

    /**
     * Runs a queued write under the per-task timeout. The watchdog and the worker settle the task under one
     * lock, so a timeout is counted exactly once and before the task counts as finished, and an interrupt
     * meant for this task never leaks into the worker's next one.
     */
    private void runWithTimeout(String what, Runnable task) {
        Thread worker = Thread.currentThread();
        Object settle = new Object();
        boolean[] settled = {false};
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            synchronized (settle) {
                if (!settled[0]) {
                    settled[0] = true;
                    timedOut.incrementAndGet();
                    worker.interrupt();
                }
            }
        }, taskTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            runGuarded(what, task);
        } finally {
            guard.cancel(false);
            synchronized (settle) {
                settled[0] = true;
            }
            Thread.interrupted();
            finished();
        }
    }

    private void finished() {
        if (running.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private void runGuarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            failLog.record("cache writes failed: {} since the last report (latest: " + what + ": {})", e.toString());
        }
    }

    /**
     * Waits until every queued write has run.
     *
     * @param max the longest time to wait
     * @return true when the queue drained in time
     */
    public boolean awaitIdle(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (idle) {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** @return refills dropped since creation */
    public long dropped() {
        return dropLog.total();
    }

    /** @return critical writes that ran on the caller's thread */
    public long ranSynchronously() {
        return synchronous.get();
    }

    /** @return tasks interrupted for overrunning the per-task timeout */
    public long timedOut() {
        return timedOut.get();
    }

    /** @return writes that failed */
    public long failed() {
        return failLog.total();
    }

    /** Stops accepting writes, runs what is queued, then stops the workers. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(Math.max(1, taskTimeout.toMillis() * 2 + 1000), TimeUnit.MILLISECONDS)) {
                LOG.warn("cache write pool did not drain in time; {} writes abandoned", workers.getQueue().size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        } finally {
            watchdog.shutdownNow();
        }
    }
}
