package dev.quota.jdbc;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test events. */
final class Events {

    static final Instant T0 = Instant.parse("2025-03-09T12:00:00Z");

    private Events() {
    }

    /** A simple event: key user*10, account 7, group 3, tokens (10, 5, 1, 2), list cost 3000 and charged 2000 nano-units. */
    static UsageEvent event(String requestId, long userId, Instant at) {
        return UsageEvent.builder(requestId, userId).apiKeyId(userId * 10).accountId(7).groupId(3)
                .platform("anthropic").model("claude").tokens(10, 5, 1, 2)
                .totalCost(Money.ofNanos(3_000)).actualCost(Money.ofNanos(2_000)).responseTimeMs(40)
                .occurredAt(at).build();
    }

    /** {@code count} distinct events of a few users, one millisecond apart. */
    static List<UsageEvent> many(String prefix, int count) {
        List<UsageEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(UsageEvent.builder(prefix + "-" + i, 1 + i % 7).apiKeyId(100 + i % 5).model("m" + i % 3)
                    .tokens(i % 100, i % 50, 0, i % 3).totalCost(Money.ofNanos(1_000L + i))
                    .actualCost(Money.ofNanos(900L + i)).httpStatus(i % 10 == 0 ? 500 : 200)
                    .responseTimeMs(i % 200).occurredAt(T0.plusMillis(i)).build());
        }
        return out;
    }
}
