package dev.quota.core;

/** Lets the internal unit tests build a {@link GateConfig} the way {@link BillingGateBuilder#build()} does. */
public final class TestGateConfigs {

    private TestGateConfigs() {
    }

    /**
     * @param builder a gate builder with the stores set
     * @return the configuration it would hand the gate
     */
    public static GateConfig of(BillingGate.Builder builder) {
        return new GateConfig(builder);
    }
}
