package dev.quota.core.internal;

import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One bounded pass over the ledger events matching a filter, through {@link UsageLog#list} pages of
 * {@link PageRequest#MAX_SIZE} (newest first).
 *
 * <p>The listing is offset-based. The ledger is append-only, so an event appended during the pass can only
 * push rows down: the next page then starts with rows already seen. Those are skipped by request id (against
 * the previous page), so every event is visited at most once; events appended behind the current position are
 * not visited. The number of pages is bounded by the first page's total plus a margin; a ledger that keeps
 * growing beyond it makes the pass fail rather than loop.
 */
final class LedgerScan {

    private static final int PAGE_SIZE = PageRequest.MAX_SIZE;
    private static final long EXTRA_PAGES = 16;

    private LedgerScan() {
    }

    /**
     * @param log the ledger
     * @param filter the events to visit
     * @param visitor called once per event, newest first
     * @return how many events were visited
     */
    static long forEach(UsageLog log, UsageFilter filter, Consumer<UsageEvent> visitor) {
        long visited = 0;
        long maxPages = -1;
        Set<String> previousPage = Set.of();
        for (int p = 1; ; p++) {
            Page<UsageEvent> page = log.list(filter, PageRequest.of(p, PAGE_SIZE));
            if (maxPages < 0) {
                long needed = (page.total() + PAGE_SIZE - 1) / PAGE_SIZE;
                maxPages = 2 * needed + EXTRA_PAGES;
            }
            Set<String> ids = new HashSet<>(page.items().size() * 2);
            for (UsageEvent e : page.items()) {
                ids.add(e.requestId());
                if (!previousPage.contains(e.requestId())) {
                    visitor.accept(e);
                    visited++;
                }
            }
            if (page.items().size() < PAGE_SIZE) {
                return visited;
            }
            if (p >= maxPages || p == Integer.MAX_VALUE) {
                throw new IllegalStateException("the usage log kept growing while it was read (" + p
                        + " pages of " + PAGE_SIZE + " for " + filter + "); run the job again");
            }
            previousPage = ids;
        }
    }
}
