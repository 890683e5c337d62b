package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a script's placeholders become positions, and what a script and its layouts may not disagree on. */
class SlotPlaceholdersTest {

    enum K implements ScriptSlot {
        ENTRY, MARKER
    }

    enum H implements ScriptSlot {
        ID, ESTIMATE
    }

    private static final List<SlotLayout<?>> LAYOUTS = List.of(SlotLayout.keys(K.class),
            SlotLayout.argv(SlotLayoutTest.A.class),
            SlotLayout.argvFrom(H.class));

    private static final Map<String, String> CONSTANTS = Map.of("VERSION", "'2'");

    private static final String SCRIPT = """
            -- reads ARGV[$COST] (a comment)
            local mode, cost = ARGV[$MODE], ARGV[$COST]
            local t = $WINDOWS - 1
            redis.call('SET', KEYS[$MARKER], ARGV[tail + $ID], ARGV[tail + $ESTIMATE])
            redis.call('HSET', KEYS[$ENTRY], 'v', $VERSION, unpack(ARGV, $REST))""";

    private static String resolve(String script) {
        return SlotPlaceholders.resolve("s", script, LAYOUTS, CONSTANTS);
    }

    /** Asserts that resolving {@code script} fails with a message containing {@code message}. */
    private static void assertRefused(String script, String message) {
        assertThatThrownBy(() -> resolve(script)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(message);
    }

    @Test
    void keysAndArgumentsBecomeOneBasedPositionsAfterTheWidthsBeforeThemAndRelativeSlotsOffsets() {
        assertThat(resolve(SCRIPT)).isEqualTo("""
                -- reads ARGV[5] (a comment)
                local mode, cost = ARGV[1], ARGV[5]
                local t = 2 - 1
                redis.call('SET', KEYS[2], ARGV[tail + 0], ARGV[tail + 1])
                redis.call('HSET', KEYS[1], 'v', '2', unpack(ARGV, 6))""");
    }

    @Test
    void aPlaceholderThatNamesNoSlotFailsAlsoInAComment() {
        assertRefused(SCRIPT + "\nreturn ARGV[$COSTS]", "$COSTS names no slot");
        assertRefused(SCRIPT + "\n-- see $NOPE", "$NOPE names no slot");
    }

    @Test
    void aSlotTheCodeNeverReadsFailsEvenWhenACommentNamesIt() {
        String withoutCost = SCRIPT.replace("local mode, cost = ARGV[$MODE], ARGV[$COST]", "local mode = ARGV[$MODE]");

        assertRefused(withoutCost, "never reads the slot $COST");
    }

    @Test
    void aSlotNumberedByHandFails() {
        for (String line : List.of("return KEYS[2]", "return ARGV[ 3 ]", "return { unpack(ARGV, 5) }",
                "return ARGV[1] .. 'x'")) {
            assertThatThrownBy(() -> resolve(SCRIPT + "\n" + line)).as(line)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("numbered by hand");
        }
    }

    @Test
    void aCopyOfTheFirstValuesAndNumbersInCommentsOrIndexedByVariablesAreNotSlots() {
        String script = SCRIPT + "\nlocal vs = { unpack(ARGV, 1, n) } -- sized like KEYS[2]\nreturn ARGV[at + 1]";

        assertThat(resolve(script)).endsWith("-- sized like KEYS[2]\nreturn ARGV[at + 1]");
    }

    @Test
    void aSlotReadFromTheOtherTableOrARelativeSlotReadAsAnAbsoluteOneFails() {
        assertRefused(SCRIPT + "\nreturn KEYS[$COST]", "$COST is a slot of ARGV");
        assertRefused(SCRIPT + "\nreturn ARGV[$MARKER]", "$MARKER is a slot of KEYS");
        assertRefused(SCRIPT + "\nreturn ARGV[$ID]", "$ID is a slot of ARGV_FROM");
    }

    @Test
    void aConstantBecomesItsLiteralMayNotBeIndexedAndMustBeUsed() {
        assertThat(resolve(SCRIPT)).contains("'v', '2',");
        assertRefused(SCRIPT + "\nreturn ARGV[$VERSION]", "$VERSION is a constant");
        assertRefused(SCRIPT.replace("'v', $VERSION, ", ""), "never reads the slot $VERSION");
        assertThatThrownBy(() -> SlotPlaceholders.resolve("s", SCRIPT, LAYOUTS, Map.of("VERSION", "'2'", "COST", "1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two slots are named COST");
    }

    @Test
    void twoSlotsOfOneScriptMayNotShareAName() {
        assertThatThrownBy(() -> SlotPlaceholders.resolve("s", SCRIPT,
                List.of(SlotLayout.keys(K.class), SlotLayout.argv(SlotLayoutTest.A.class), SlotLayout.argv(K.class)),
                Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two slots are named ENTRY");
    }

    @Test
    void aDoubleDashInAStringDoesNotStartAComment() {
        assertThat(SlotPlaceholders.commentStart("local s = '--' .. ARGV[$MODE] -- c")).isEqualTo(30);
        assertThat(SlotPlaceholders.commentStart("local s = \"a\\\"--\" .. x")).isEqualTo(22);
    }
}
