package dev.quota.redis;

import java.util.List;
import redis.clients.jedis.args.Rawable;

/**
 * The slots of one part of a script's keys or arguments, in the order of their enum's constants: where each
 * starts, how many fixed values the part has, and the Lua table the script reads them from. A part is either
 * absolute ({@code KEYS} or {@code ARGV} from the first value, a placeholder standing for the 1-based position
 * the Lua indexes) or relative ({@code ARGV} from an index known only at run time, a placeholder standing for
 * the 0-based offset the Lua adds to that index, {@code ARGV[tail + $ESTIMATE]}). Immutable and thread-safe.
 *
 * @param <E> the script's slot enum
 */
final class SlotLayout<E extends Enum<E> & ScriptSlot> {

    /** The Lua table a part is read from. */
    enum Table {
        /** {@code KEYS}, from its first value */
        KEYS,
        /** {@code ARGV}, from its first value */
        ARGV,
        /** {@code ARGV}, from an index the script finds at run time */
        ARGV_FROM
    }

    private final Table table;
    private final List<E> slots;
    private final int[] index;
    private final int size;
    /** The ordinal of the slot that takes the rest, or -1. */
    private final int rest;

    private SlotLayout(Table table, Class<E> type) {
        this.table = table;
        E[] constants = type.getEnumConstants();
        this.slots = List.of(constants);
        this.index = new int[constants.length];
        int at = 0;
        int restAt = -1;
        for (E slot : constants) {
            boolean isRest = isRest(type, slot);
            if (isRest && slot.ordinal() != constants.length - 1) {
                throw new IllegalStateException(type.getSimpleName() + "." + slot + " takes the rest but is not last");
            }
            if (!isRest && slot.width() < 1) {
                throw new IllegalStateException(type.getSimpleName() + "." + slot + " has no width");
            }
            index[slot.ordinal()] = at;
            at += isRest ? 0 : slot.width();
            restAt = isRest ? slot.ordinal() : restAt;
        }
        this.size = at;
        this.rest = restAt;
    }

    private static boolean isRest(Class<?> type, Enum<?> slot) {
        try {
            return type.getField(slot.name()).isAnnotationPresent(ScriptSlot.Rest.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("no field for " + slot, e);
        }
    }

    /**
     * @param type the slot enum of a script's keys
     * @param <E> the enum
     * @return its layout, read from {@code KEYS[1]}
     */
    static <E extends Enum<E> & ScriptSlot> SlotLayout<E> keys(Class<E> type) {
        return new SlotLayout<>(Table.KEYS, type);
    }

    /**
     * @param type the slot enum of a script's arguments
     * @param <E> the enum
     * @return its layout, read from {@code ARGV[1]}
     */
    static <E extends Enum<E> & ScriptSlot> SlotLayout<E> argv(Class<E> type) {
        return new SlotLayout<>(Table.ARGV, type);
    }

    /**
     * @param type the slot enum of a part of the arguments that starts at an index found at run time
     * @param <E> the enum
     * @return its layout, read from {@code ARGV[start + offset]}
     */
    static <E extends Enum<E> & ScriptSlot> SlotLayout<E> argvFrom(Class<E> type) {
        return new SlotLayout<>(Table.ARGV_FROM, type);
    }

    /** @return the table the part is read from */
    Table table() {
        return table;
    }

    /** @return the slots, in order */
    List<E> slots() {
        return slots;
    }

    /**
     * @param slot a slot
     * @return its 0-based index among the part's values (the index in the list the caller sends for an
     *         absolute part)
     */
    int index(E slot) {
        return index[slot.ordinal()];
    }

    /**
     * @param slot a slot
     * @return what its placeholder stands for in the Lua: the 1-based position for an absolute part, the 0-based
     *         offset for a relative one
     */
    int placeholder(E slot) {
        return table == Table.ARGV_FROM ? index(slot) : index(slot) + 1;
    }

    /** @return the number of fixed values (every slot's width but the rest's) */
    int size() {
        return size;
    }

    /** @return empty values of this layout, to be set by name */
    Values<E> values() {
        return new Values<>(this, 0);
    }

    /**
     * @param rest how many values the caller appends after the fixed ones ({@link Values#add})
     * @return empty values of this layout with room for the rest
     */
    Values<E> values(int rest) {
        return new Values<>(this, rest);
    }

    /**
     * The values of one call, set by slot name, then the rest appended; one per call, not thread-safe.
     *
     * @param <E> the script's slot enum
     */
    static final class Values<E extends Enum<E> & ScriptSlot> {

        private final SlotLayout<E> layout;
        private final Rawable[] values;
        private int next;

        private Values(SlotLayout<E> layout, int rest) {
            if (rest < 0 || rest > 0 && layout.rest < 0) {
                throw new IllegalArgumentException("the layout takes no rest: " + rest);
            }
            this.layout = layout;
            this.values = new Rawable[layout.size + rest];
            this.next = layout.size;
        }

        /**
         * @param slot a slot of width 1
         * @param value its value ({@code byte[]} or {@link Arg})
         * @return this
         */
        Values<E> set(E slot, Object value) {
            return set(slot, 0, value);
        }

        /**
         * @param slot a slot
         * @param i the value's index within the slot's run (0 for a slot of width 1)
         * @param value the value ({@code byte[]} or {@link Arg})
         * @return this
         * @throws IndexOutOfBoundsException when {@code i} is outside the slot's width or the slot is the rest
         */
        Values<E> set(E slot, int i, Object value) {
            if (slot.ordinal() == layout.rest || i < 0 || i >= slot.width()) {
                throw new IndexOutOfBoundsException(slot + " has no value " + i);
            }
            values[layout.index[slot.ordinal()] + i] = Arg.from(value);
            return this;
        }

        /**
         * @param value the next value of the rest ({@code byte[]} or {@link Arg})
         * @return this
         * @throws IndexOutOfBoundsException when the room given for the rest is full
         */
        Values<E> add(Object value) {
            values[next++] = Arg.from(value);
            return this;
        }

        /**
         * @return the values in order (the fixed ones, then the rest added): this object's own array, not a copy (a
         *     {@link ScriptArguments} sends it as it is; nothing changes it afterwards)
         * @throws IllegalStateException when a fixed slot was not set or the rest was not filled
         */
        Rawable[] toArray() {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    throw new IllegalStateException(i < layout.size ? "script slot not set: " + slotAt(i)
                            : "the rest has " + (i - layout.size) + " of " + (values.length - layout.size) + " values");
                }
            }
            return values;
        }

        private String slotAt(int i) {
            String found = "#" + i;
            for (E slot : layout.slots) {
                if (layout.index(slot) <= i) {
                    found = slot.name();
                }
            }
            return found;
        }
    }
}
