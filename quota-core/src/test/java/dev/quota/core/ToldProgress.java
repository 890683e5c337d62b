package dev.quota.core;

import dev.quota.core.spi.UsageSink.Outcome;
import dev.quota.core.spi.UsageSink.Progress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what one event's {@link Progress} is told, in order: {@code "committing"}, {@code "rejected: <error>"}
 * and the outcome's name. Shared with quota-testkit's writer tests through quota-core's test-jar.
 */
public final class ToldProgress implements Progress {

    /** What the progress was told, in order. */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void committing() {
        calls.add("committing");
    }

    @Override
    public void rejected(String error) {
        calls.add("rejected: " + error);
    }

    @Override
    public void settled(Outcome outcome) {
        calls.add(outcome.name());
    }
}
