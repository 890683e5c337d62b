package dev.quota.upstream.http;

import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import dev.quota.testkit.contract.UpstreamUsageFetcherContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared {@link UpstreamUsageFetcherContract} on {@link HttpUpstreamUsageFetcher} against a local provider
 * that answers each account's token with that account's windows as the provider's JSON.
 */
class HttpUpstreamUsageFetcherContractTest extends UpstreamUsageFetcherContract {

    private final List<StubProvider> providers = new ArrayList<>();

    @AfterEach
    void stopProviders() throws InterruptedException {
        for (StubProvider p : providers) {
            p.close();
        }
    }

    @Override
    protected UpstreamUsageFetcher createFetcher(Map<Long, List<UpstreamUsage>> windowsByAccount) {
        StubProvider provider = new StubProvider().answer(exchange -> {
            long account = Long.parseLong(exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer token-".length()));
            List<UpstreamUsage> windows = windowsByAccount.get(account);
            if (windows == null) {
                StubProvider.send(exchange, 401, "{}");
            } else {
                StubProvider.send(exchange, 200, json(windows));
            }
        });
        providers.add(provider);
        return HttpUpstreamUsageFetcher.builder().baseUri(provider.baseUri()).tokens(id -> "token-" + id).build();
    }

    @Override
    protected UpstreamUsageFetcher createFailingFetcher() {
        StubProvider provider = new StubProvider().answer(500, "internal error");
        providers.add(provider);
        return HttpUpstreamUsageFetcher.builder().baseUri(provider.baseUri()).tokens(id -> "token-" + id).build();
    }

    /** The provider's JSON for {@code windows} (five_hour, seven_day, seven_day_family). */
    private static String json(List<UpstreamUsage> windows) {
        StringJoiner members = new StringJoiner(", ", "{", "}");
        for (UpstreamUsage w : windows) {
            String name = switch (w.window()) {
                case UpstreamUsage.FIVE_HOUR -> "five_hour";
                case UpstreamUsage.SEVEN_DAY -> "seven_day";
                default -> "seven_day_" + w.modelFamily().orElseThrow();
            };
            String reset = w.resetsAt() == null ? "null" : "\"" + w.resetsAt() + "\"";
            members.add("\"" + name + "\": {\"utilization\": " + w.utilizationPercent() + ", \"resets_at\": " + reset + "}");
        }
        return members.toString();
    }
}
