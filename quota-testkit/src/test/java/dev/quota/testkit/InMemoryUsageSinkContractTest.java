package dev.quota.testkit;

import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.testkit.contract.UsageSinkContract;
import java.time.ZoneId;

class InMemoryUsageSinkContractTest extends UsageSinkContract {

    @Override
    protected UsageSink createSink(UsageLedger ledger, MutableClock clock, ZoneId zone) {
        return InMemoryUsageSink.forwardingTo(ledger, clock, zone);
    }
}
