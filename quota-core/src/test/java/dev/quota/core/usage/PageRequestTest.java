package dev.quota.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

    @Test
    void the_first_page_skips_nothing() {
        assertThat(PageRequest.of(1, 50).offset()).isZero();
    }

    @Test
    void later_pages_skip_the_earlier_rows() {
        assertThat(PageRequest.of(3, 50).offset()).isEqualTo(100);
    }

    @Test
    void the_offset_does_not_overflow_an_int() {
        assertThat(PageRequest.of(Integer.MAX_VALUE, 1000).offset()).isEqualTo((Integer.MAX_VALUE - 1L) * 1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejects_a_page_below_one(int page) {
        assertThatThrownBy(() -> PageRequest.of(page, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1001})
    void rejects_a_size_outside_one_to_one_thousand(int size) {
        assertThatThrownBy(() -> PageRequest.of(1, size))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
    }

    @Test
    void a_page_counts_at_least_one_page_and_rounds_up() {
        assertThat(new Page<>(List.of(), 1, 10, 0).pages()).isEqualTo(1);
        assertThat(new Page<>(List.of(), 1, 10, 10).pages()).isEqualTo(1);
        assertThat(new Page<>(List.of(), 1, 10, 11).pages()).isEqualTo(2);
    }

    @Test
    void a_page_copies_its_items() {
        List<String> items = new ArrayList<>(List.of("a"));
        Page<String> page = new Page<>(items, 1, 10, 1);
        items.add("b");

        assertThat(page.items()).containsExactly("a");
    }
}
