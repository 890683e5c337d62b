package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.Rawable;

/** Where each slot of a layout starts, and the values of one call set by name. */
class SlotLayoutTest {

    /** A mode, a run of three windows, a cost, then the rest (also the layout of {@link SlotPlaceholdersTest}). */
    enum A implements ScriptSlot {
        MODE, WINDOWS {
            @Override
            public int width() {
                return 3;
            }
        }, COST,
        @Rest
        REST
    }

    enum Misplaced implements ScriptSlot {
        @Rest
        REST, LAST
    }

    private static final SlotLayout<A> LAYOUT = SlotLayout.argv(A.class);

    private static byte[] b(String s) {
        return Ascii.utf8(s);
    }

    @Test
    void eachSlotStartsAfterTheWidthsBeforeItAndTheRestAddsNoFixedValue() {
        assertThat(LAYOUT.index(A.MODE)).isZero();
        assertThat(LAYOUT.index(A.WINDOWS)).isEqualTo(1);
        assertThat(LAYOUT.index(A.COST)).isEqualTo(4);
        assertThat(LAYOUT.index(A.REST)).isEqualTo(5);
        assertThat(LAYOUT.placeholder(A.COST)).isEqualTo(5);
        assertThat(LAYOUT.size()).isEqualTo(5);
        assertThat(SlotLayout.argvFrom(A.class).placeholder(A.COST)).isEqualTo(4);
    }

    @Test
    void valuesSetByNameComeOutInTheLayoutsOrderFollowedByTheRest() {
        Rawable[] out = LAYOUT.values(2).set(A.COST, b("c")).set(A.WINDOWS, 2, b("w2")).set(A.MODE, b("m"))
                .add(b("r1")).set(A.WINDOWS, 0, b("w0")).set(A.WINDOWS, 1, b("w1")).add(b("r2")).toArray();

        assertThat(Arrays.stream(out).map(v -> new String(v.getRaw(), java.nio.charset.StandardCharsets.UTF_8)))
                .containsExactly("m", "w0", "w1", "w2", "c", "r1", "r2");
    }

    @Test
    void aSlotLeftUnsetARestNotFilledOrAValueOutsideItsRunFails() {
        assertThatThrownBy(() -> LAYOUT.values().set(A.MODE, b("m")).set(A.COST, b("c")).toArray())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not set: WINDOWS");
        assertThatThrownBy(() -> LAYOUT.values(2).set(A.MODE, b("m")).set(A.WINDOWS, 0, b("w0"))
                .set(A.WINDOWS, 1, b("w1")).set(A.WINDOWS, 2, b("w2")).set(A.COST, b("c")).add(b("r1")).toArray())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the rest has 1 of 2 values");
        assertThatThrownBy(() -> LAYOUT.values().set(A.WINDOWS, 3, b("x")))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> LAYOUT.values().set(A.REST, b("x")))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SlotLayout.keys(SlotPlaceholdersTest.K.class).values(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no rest");
    }

    @Test
    void theRestMustBeLast() {
        assertThatThrownBy(() -> SlotLayout.keys(Misplaced.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not last");
    }
}
