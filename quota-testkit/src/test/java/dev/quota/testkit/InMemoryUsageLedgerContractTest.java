package dev.quota.testkit;

import dev.quota.testkit.contract.UsageLedgerContract;

class InMemoryUsageLedgerContractTest extends UsageLedgerContract {

    @Override
    protected LedgerUnderTest createLedger() {
        InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
        return new LedgerUnderTest(ledger, ledger.log(), ledger.balances(), ledger.subscriptions(),
                ledger.platformQuotas(), ledger.windowCounters());
    }
}
