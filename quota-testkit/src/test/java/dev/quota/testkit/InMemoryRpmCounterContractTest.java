package dev.quota.testkit;

import dev.quota.core.spi.RpmCounter;
import dev.quota.testkit.contract.RpmCounterContract;

class InMemoryRpmCounterContractTest extends RpmCounterContract {

    @Override
    protected RpmCounter createCounter() {
        return new InMemoryRpmCounter();
    }
}
