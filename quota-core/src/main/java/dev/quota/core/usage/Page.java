package dev.quota.core.usage;

import java.util.List;

/**
 * One page of results and the total number of matching rows.
 *
 * @param items the rows on this page
 * @param page the page number, from 1
 * @param size the page size
 * @param total all matching rows
 * @param <T> the row type
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    /**
     * Copies the list.
     *
     * @param items the rows on this page
     * @param page the page number, from 1
     * @param size the page size
     * @param total all matching rows
     */
    public Page {
        items = List.copyOf(items);
    }

    /** @return the number of pages, at least 1 */
    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }
}
