package dev.quota.core.usage;

/**
 * A page of a listing: 1-based page number and page size (1 to 1000). Listings are ordered newest
 * first, ties broken by request id.
 *
 * @param page the page number, from 1
 * @param size the page size, 1 to 1000
 */
public record PageRequest(int page, int size) {

    /** The largest page size. */
    public static final int MAX_SIZE = 1000;

    /**
     * Validates.
     *
     * @param page the page, from 1
     * @param size the size
     */
    public PageRequest {
        if (page < 1) {
            throw new IllegalArgumentException("page must be at least 1: " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE + ": " + size);
        }
    }

    /**
     * @param page the page, from 1
     * @param size the size
     * @return the request
     */
    public static PageRequest of(int page, int size) {
        return new PageRequest(page, size);
    }

    /** @return the number of rows to skip */
    public long offset() {
        return (long) (page - 1) * size;
    }
}
