package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import dev.quota.core.Money;
import java.util.Objects;

/**
 * Sums over a set of usage events: request counts (success = status below 400 and no error message),
 * token counts, exact costs and the summed response time. Immutable; combine with {@link #plus}.
 *
 * @param requests number of requests
 * @param successRequests requests that succeeded
 * @param errorRequests requests that failed
 * @param inputTokens input tokens
 * @param outputTokens output tokens
 * @param cacheCreationTokens cache-creation tokens
 * @param cacheReadTokens cache-read tokens
 * @param totalCost list-price cost
 * @param actualCost charged cost
 * @param inputCost input part
 * @param outputCost output part
 * @param cacheCreationCost cache-creation part
 * @param cacheReadCost cache-read part
 * @param responseTimeMsSum summed response time in ms
 */
public record UsageTotals(long requests, long successRequests, long errorRequests,
                          long inputTokens, long outputTokens, long cacheCreationTokens, long cacheReadTokens,
                          Money totalCost, Money actualCost, Money inputCost, Money outputCost,
                          Money cacheCreationCost, Money cacheReadCost, long responseTimeMsSum) {

    /** Nothing. */
    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0,
            Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, 0);

    /**
     * Rejects null amounts.
     *
     * @param requests number of requests
     * @param successRequests requests that succeeded
     * @param errorRequests requests that failed
     * @param inputTokens input tokens
     * @param outputTokens output tokens
     * @param cacheCreationTokens cache-creation tokens
     * @param cacheReadTokens cache-read tokens
     * @param totalCost list-price cost
     * @param actualCost charged cost
     * @param inputCost input part
     * @param outputCost output part
     * @param cacheCreationCost cache-creation part
     * @param cacheReadCost cache-read part
     * @param responseTimeMsSum summed response time in ms
     */
    public UsageTotals {
        Objects.requireNonNull(totalCost, "totalCost");
        Objects.requireNonNull(actualCost, "actualCost");
        Objects.requireNonNull(inputCost, "inputCost");
        Objects.requireNonNull(outputCost, "outputCost");
        Objects.requireNonNull(cacheCreationCost, "cacheCreationCost");
        Objects.requireNonNull(cacheReadCost, "cacheReadCost");
    }

    /**
     * @param e one event
     * @return the totals of that event alone
     */
    public static UsageTotals of(UsageEvent e) {
        return new UsageTotals(1, e.outcome().isError() ? 0 : 1, e.outcome().isError() ? 1 : 0,
                e.tokens().input(), e.tokens().output(), e.tokens().cacheCreation(), e.tokens().cacheRead(),
                e.costs().total(), e.costs().actual(), e.costs().input(), e.costs().output(), e.costs().cacheCreation(),
                e.costs().cacheRead(), e.outcome().responseTimeMs());
    }

    /**
     * @param events events
     * @return their totals
     */
    public static UsageTotals of(Iterable<UsageEvent> events) {
        UsageTotals t = ZERO;
        for (UsageEvent e : events) {
            t = t.plus(of(e));
        }
        return t;
    }

    /**
     * @param o other totals
     * @return the field-wise sum
     * @throws ArithmeticException on overflow
     */
    public UsageTotals plus(UsageTotals o) {
        return new UsageTotals(Math.addExact(requests, o.requests), Math.addExact(successRequests, o.successRequests),
                Math.addExact(errorRequests, o.errorRequests), Math.addExact(inputTokens, o.inputTokens),
                Math.addExact(outputTokens, o.outputTokens), Math.addExact(cacheCreationTokens, o.cacheCreationTokens),
                Math.addExact(cacheReadTokens, o.cacheReadTokens), totalCost.plus(o.totalCost),
                actualCost.plus(o.actualCost), inputCost.plus(o.inputCost), outputCost.plus(o.outputCost),
                cacheCreationCost.plus(o.cacheCreationCost), cacheReadCost.plus(o.cacheReadCost),
                Math.addExact(responseTimeMsSum, o.responseTimeMsSum));
    }

    /** @return all tokens */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheCreationTokens + cacheReadTokens;
    }

    /** @return the mean response time in ms, 0 when there are no requests */
    public double averageResponseTimeMs() {
        return requests == 0 ? 0.0 : (double) responseTimeMsSum / requests;
    }
}
