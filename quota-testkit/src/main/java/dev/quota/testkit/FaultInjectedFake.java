package dev.quota.testkit;

import java.util.Objects;

/**
 * What every in-memory fake of this kit shares: the {@link Faults} it obeys. Each operation of a fake calls
 * {@link Faults#beforeCall(String)} after validating its arguments and before touching any state, so an injected
 * failure changes nothing. Pass one {@code Faults} to several fakes to fail them together.
 */
public abstract class FaultInjectedFake {

    /** The fault injection this fake obeys. */
    protected final Faults faults;

    /** Gives this fake its own {@link Faults}, shared with no other fake. */
    protected FaultInjectedFake() {
        this(new Faults());
    }

    /**
     * @param faults the fault injection to obey (may be shared with other fakes)
     * @throws NullPointerException if {@code faults} is null
     */
    protected FaultInjectedFake(Faults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** @return the fault injection this fake obeys */
    public Faults faults() {
        return faults;
    }
}
