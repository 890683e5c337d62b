/**
 * Cache-entry schemas: the field names, schema versions and codecs of the entries Quota keeps in its
 * cache (Redis hashes). Decoding is strict: an absent, foreign-version or unparsable entry decodes to
 * {@link java.util.Optional#empty()}, a miss, never an exception. Amounts are decimal integer strings of
 * nano-units; instants are epoch milliseconds; an empty string means "none".
 *
 * <p>Requests-per-minute counters are plain integer keys, one per user (and user × group) per epoch-aligned
 * minute bucket, created with their expiry in the same atomic step as the first increment.
 */
package dev.quota.core.cache;
