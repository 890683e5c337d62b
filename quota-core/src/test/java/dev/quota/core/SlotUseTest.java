package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A slot is used once. */
class SlotUseTest {

    @Test
    void theFirstUsePassesAndASecondThrows() {
        SlotUse use = new SlotUse();
        use.take();
        assertThatThrownBy(use::take).isInstanceOf(IllegalStateException.class)
                .hasMessage("this slot was used already");
    }
}
