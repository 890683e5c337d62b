package dev.quota.testkit;

import java.util.Collection;
import java.util.Objects;

/** The argument check of the fakes' batch writes, written once. */
final class Batches {

    private Batches() {
    }

    /**
     * Checks a batch before anything of it is stored.
     *
     * @param batch the batch to check
     * @param name what the batch holds, for the message ({@code "events"}, {@code "rollups"})
     * @throws NullPointerException if {@code batch} is null or contains null
     */
    static void requireNoNulls(Collection<?> batch, String name) {
        Objects.requireNonNull(batch, name);
        for (Object element : batch) {
            Objects.requireNonNull(element, name + " must not contain null");
        }
    }
}
