package dev.quota.core.cache;

/**
 * The fields of one cached entry as an adapter read them, for the codecs' {@code decodeFields} methods: a value
 * may be any {@link CharSequence} (for instance a view of the bytes a cache returned), so that decoding an entry
 * need not build a {@code String} per field. A codec reads a value once and parses it (or copies it into a
 * {@code String}) before it reads the next, and keeps no value: an adapter may therefore hand out every value in
 * one reusable view, valid until the next {@link #get}. A {@code Map<String, String>} of the fields is one as
 * {@code map::get}.
 */
@FunctionalInterface
public interface EntryFields {

    /**
     * @param field a field name of the entry's schema
     * @return the field's value, or {@code null} when the entry has no such field; the codecs use it before the
     *         next call
     */
    CharSequence get(String field);
}
