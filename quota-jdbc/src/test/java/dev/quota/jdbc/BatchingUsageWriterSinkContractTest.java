package dev.quota.jdbc;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.UsageSinkContract;
import java.time.Duration;
import java.time.ZoneId;

/** The shared {@link UsageSinkContract} on {@link BatchingUsageWriter} in front of a ledger. */
class BatchingUsageWriterSinkContractTest extends UsageSinkContract {

    @Override
    protected UsageSink createSink(UsageLedger ledger, MutableClock clock, ZoneId zone) {
        return BatchingUsageWriter.builder(ledger, clock, zone).threads(2).batchSize(64).linger(Duration.ofMillis(20))
                .build();
    }
}
