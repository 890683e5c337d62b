package dev.quota.redis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One named slot of a script's {@code KEYS} or {@code ARGV}, implemented by an enum per script whose constants,
 * in declaration order, are the script's slots ({@link SlotLayout}). The Lua names a slot by its constant's name
 * as the placeholder {@code $NAME} ({@code KEYS[$MARKER]}, {@code ARGV[$COST]}), which {@link SlotPlaceholders}
 * replaces with the slot's position when the script is assembled, so no slot is numbered by hand in Java or Lua.
 */
interface ScriptSlot {

    /** @return the constant's name, the placeholder the Lua writes as {@code $NAME} */
    String name();

    /** @return the constant's position in its enum */
    int ordinal();

    /**
     * @return how many consecutive values the slot takes: 1, or more for a run (for instance one value per window,
     *         which the Lua reads in a loop from the slot's position); ignored for a {@link Rest} slot
     */
    default int width() {
        return 1;
    }

    /**
     * Marks the last constant of a slot enum as the slot that takes every value from its position on (a variable
     * number, appended by the caller after the fixed slots).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Rest {
    }
}
