package dev.quota.testkit.contract;

import org.junit.jupiter.api.BeforeEach;

/**
 * What the store contracts share: before every test, a store from {@link #createStore()}, available to the tests
 * as {@link #store()}.
 *
 * @param <S> the port under test
 */
public abstract class StoreContract<S> {

    private S store;

    /** Creates the contract; subclasses supply the store. */
    protected StoreContract() {
    }

    /**
     * Creates the store under test. Called before every test; each call must return a store that sees no data
     * written by earlier tests (a fresh instance, key prefix or schema), because the tests reuse ids and names.
     *
     * @return an empty store
     */
    protected abstract S createStore();

    /** @return the store of the running test */
    protected S store() {
        return store;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }
}
