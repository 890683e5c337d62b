package dev.quota.testkit;

import dev.quota.core.UsageSinks;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.testkit.contract.UsageSinkContract;
import java.time.ZoneId;

/** The core's direct sink passes the sink contract on the in-memory ledger. */
class DirectUsageSinkContractTest extends UsageSinkContract {

    @Override
    protected UsageSink createSink(UsageLedger ledger, MutableClock clock, ZoneId zone) {
        return UsageSinks.direct(ledger, clock, zone);
    }
}
