package dev.quota.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch to its {@link UsageTarget} in one round: a Failsafe retry policy retries a write that
 * throws up to {@linkplain BatchingUsageWriterBuilder#maxRetries the maximum}, with the
 * {@linkplain BatchingUsageWriterBuilder#retryBackoff backoff}, counting and logging every failed attempt.
 * Thread-safe.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingUsageWriter.class);

    private final UsageTarget target;
    private final FailsafeExecutor<UsageTarget.Written> failsafe;

    BatchWriter(BatchingUsageWriterBuilder<?> config, WriterMetrics metrics) {
        this.target = config.target;
        RetryPolicyBuilder<UsageTarget.Written> policy = RetryPolicy.<UsageTarget.Written>builder()
                .handle(RuntimeException.class)
                .withMaxRetries(config.maxRetries)
                .onFailedAttempt(e -> {
                    metrics.add(WriterMetrics.Counter.FAILED_ATTEMPTS, 1);
                    LOG.warn("Writing a batch of usage events failed (attempt {}): {}", e.getAttemptCount(),
                            LogText.brief(String.valueOf(e.getLastException())));
                });
        if (config.retryMaxDelay.equals(config.retryDelay)) {
            policy.withDelay(config.retryDelay);
        } else {
            policy.withBackoff(config.retryDelay, config.retryMaxDelay);
        }
        this.failsafe = Failsafe.with(policy.build());
    }

    /**
     * @param events the batch
     * @return what the target did
     * @throws RuntimeException the last failure, when every attempt of the round failed
     */
    UsageTarget.Written write(List<UsageEvent> events) {
        return failsafe.get(() -> target.write(events));
    }
}
