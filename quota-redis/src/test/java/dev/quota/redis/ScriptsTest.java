package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The adapter's scripts read their keys and arguments by the names their layouts give, and only those. */
class ScriptsTest {

    private static final Pattern NUMBERED = Pattern.compile("(?m)^[^-\\n]*\\b(KEYS|ARGV)\\[[0-9]+\\]");

    /** Every slot of the record script's arguments, and one more that the script does not read. */
    enum ApplyArgvAndOneMore implements ScriptSlot {
        MODE, FLAGS, COST, MARKER_TTL, ENTRY_TTL, KEY_TTL, PERIOD_THRESHOLDS, PERIOD_STARTS, KEY_THRESHOLDS,
        KEY_STARTS, HOLD_ID, DIRTY_TTL, OUTBOX_MEMBER, EVENT, NOW, TOKENS, TPM_THRESHOLD, TPM_START, REFUND
    }

    @Test
    void everyScriptIsAssembledWithEveryPlaceholderReplacedAndEverySlotRead() {
        Scripts s = Scripts.get();
        for (LuaScript script : List.of(s.check(), s.apply(), s.put(), s.evict(), s.rpm(), s.outboxAck(),
                s.outboxClaim(), s.renew())) {
            assertThat(script.body()).as(script.name()).doesNotContain("$").contains("KEYS[");
            assertThat(script.source()).as(script.name()).endsWith(script.body());
        }
        // what the placeholders became: the layouts' positions
        assertThat(s.apply().body())
                .contains("local cost = ARGV[" + (ApplyArgs.ARGV.index(ApplyArgs.Argv.COST) + 1) + "]")
                .contains("redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[4])");
        assertThat(s.check().body()).contains("local at = " + (CheckArgs.ARGV.index(CheckArgs.Argv.LINES) + 1));
    }

    @Test
    void noScriptResourceNumbersASlotByHand() {
        for (String name : List.of("check", "apply", "put", "evict", "rpm", "outbox_ack", "outbox_claim", "renew")) {
            assertThat(LuaScript.resource(name)).as(name).doesNotContainPattern(NUMBERED);
        }
    }

    @Test
    void aSlotTheRecordScriptDoesNotReadFailsItsAssemblyBeforeAnyRedisIsInvolved() {
        assertThatThrownBy(() -> LuaScript.load("apply", ApplyArgs.CONSTANTS, ApplyArgs.KEYS,
                SlotLayout.argv(ApplyArgvAndOneMore.class)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never reads the slot $REFUND");
        assertThatThrownBy(() -> LuaScript.load("apply", ApplyArgs.CONSTANTS, ApplyArgs.KEYS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("names no slot");
    }
}
