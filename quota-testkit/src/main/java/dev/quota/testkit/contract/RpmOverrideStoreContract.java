package dev.quota.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.RpmOverrideStore;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RpmOverrideStore} passes. Extend it and implement {@link #createStore()}.
 */
public abstract class RpmOverrideStoreContract extends StoreContract<RpmOverrideStore> {

    private static final long USER = 42;
    private static final long GROUP = 7;

    @Test
    void findIsEmptyWithoutOverride() {
        assertThat(store().find(USER, GROUP)).isEmpty();
    }

    @Test
    void setThenFindReturnsTheOverride() {
        store().set(USER, GROUP, 120);
        assertThat(store().find(USER, GROUP)).hasValue(120);
    }

    @Test
    void setReplacesTheOverride() {
        store().set(USER, GROUP, 120);
        store().set(USER, GROUP, 30);
        assertThat(store().find(USER, GROUP)).hasValue(30);
    }

    @Test
    void zeroIsStoredAsAnExemptionNotAsNoOverride() {
        store().set(USER, GROUP, 0);
        assertThat(store().find(USER, GROUP)).hasValue(0);
    }

    @Test
    void removeDeletesTheOverride() {
        store().set(USER, GROUP, 120);
        store().remove(USER, GROUP);
        assertThat(store().find(USER, GROUP)).isEmpty();
    }

    @Test
    void removeWithoutOverrideIsANoOp() {
        store().remove(USER, GROUP);
        assertThat(store().find(USER, GROUP)).isEmpty();
    }

    @Test
    void overridesAreIndependentPerUserAndGroup() {
        store().set(USER, GROUP, 1);
        store().set(USER, GROUP + 1, 2);
        store().set(USER + 1, GROUP, 3);
        store().remove(USER, GROUP + 1);
        assertThat(store().find(USER, GROUP)).hasValue(1);
        assertThat(store().find(USER, GROUP + 1)).isEmpty();
        assertThat(store().find(USER + 1, GROUP)).hasValue(3);
    }

    @Test
    void largeOverridesAreKeptExactly() {
        store().set(USER, GROUP, Long.MAX_VALUE);
        assertThat(store().find(USER, GROUP)).hasValue(Long.MAX_VALUE);
    }

    @Test
    void negativeOverrideIsRejectedAndChangesNothing() {
        store().set(USER, GROUP, 5);
        assertThatThrownBy(() -> store().set(USER, GROUP, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(USER, GROUP)).hasValue(5);
    }
}
