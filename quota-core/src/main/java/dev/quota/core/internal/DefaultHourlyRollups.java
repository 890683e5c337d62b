package dev.quota.core.internal;

import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.stats.HourlyRollups;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HourlyRollups} implementation. Unsupported API: create it with {@link HourlyRollups#create}.
 * Stateless apart from its collaborators; thread-safe.
 */
public final class DefaultHourlyRollups implements HourlyRollups {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultHourlyRollups.class);

    private final UsageLog log;
    private final RollupStore rollups;
    private final ZoneId zone;

    /**
     * @param log the usage ledger to read
     * @param rollups the store to write to
     * @param zone the business zone
     * @throws IllegalArgumentException if an argument is null
     */
    public DefaultHourlyRollups(UsageLog log, RollupStore rollups, ZoneId zone) {
        this.log = DefaultStatsAggregator.notNull(log, "log");
        this.rollups = DefaultStatsAggregator.notNull(rollups, "rollups");
        this.zone = DefaultStatsAggregator.notNull(zone, "zone");
    }

    @Override
    public int rebuild(Instant from, Instant to) {
        requireHour(from, "from");
        requireHour(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from: " + from + " > " + to);
        }
        if (from.equals(to)) {
            return 0;
        }
        int deleted = rollups.deleteRange(from, to);
        Batcher batcher = new Batcher();
        long events = LedgerScan.forEach(log, UsageFilter.all().between(from, to), batcher);
        batcher.finish();
        LOG.info("hourly roll-ups of [{}, {}) rebuilt: {} deleted, {} written from {} event(s)", from, to, deleted,
                batcher.written, events);
        return batcher.written;
    }

    private void requireHour(Instant at, String field) {
        if (at == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (!HourlyUsage.hourOf(at, zone).equals(at)) {
            throw new IllegalArgumentException(field + " must be an hour boundary in " + zone + ": " + at);
        }
    }

    /**
     * Sums events of the current hour; events arrive newest first, so when the hour changes the previous
     * hour is complete and its roll-ups move to the pending batch.
     */
    private final class Batcher implements Consumer<UsageEvent> {
        private record Key(long userId, String model) {
        }

        private final Map<Key, HourlyUsage> hour = new HashMap<>();
        private final List<HourlyUsage> pending = new ArrayList<>();
        private Instant current;
        private int written;

        @Override
        public void accept(UsageEvent e) {
            HourlyUsage one = HourlyUsage.of(e, zone);
            if (!one.hour().equals(current)) {
                closeHour();
                current = one.hour();
            }
            hour.merge(new Key(one.userId(), one.model()), one, HourlyUsage::plus);
        }

        void finish() {
            closeHour();
            flush(true);
        }

        private void closeHour() {
            pending.addAll(hour.values());
            hour.clear();
            flush(false);
        }

        private void flush(boolean all) {
            while (pending.size() >= BATCH_SIZE || (all && !pending.isEmpty())) {
                List<HourlyUsage> batch = pending.subList(0, Math.min(BATCH_SIZE, pending.size()));
                rollups.add(List.copyOf(batch));
                written += batch.size();
                batch.clear();
            }
        }
    }
}
