package dev.quota.testkit;

import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import dev.quota.testkit.contract.UpstreamUsageFetcherContract;
import java.util.List;
import java.util.Map;

class FakeUpstreamUsageFetcherContractTest extends UpstreamUsageFetcherContract {

    @Override
    protected UpstreamUsageFetcher createFetcher(Map<Long, List<UpstreamUsage>> windowsByAccount) {
        FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher();
        windowsByAccount.forEach(fetcher::respond);
        return fetcher;
    }

    @Override
    protected UpstreamUsageFetcher createFailingFetcher() {
        FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher();
        fetcher.faults().failAlways();
        return fetcher;
    }
}
