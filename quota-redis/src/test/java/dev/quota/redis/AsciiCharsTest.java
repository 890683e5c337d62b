package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.EntryFields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AsciiCharsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_view_reads_as_the_text_of_its_bytes_and_can_be_pointed_at_others() {
        AsciiChars view = new AsciiChars();
        assertThat(view.length()).isZero();

        CharSequence v = view.of(bytes("-1234"), 0, 5);
        assertThat(v.length()).isEqualTo(5);
        assertThat(v.charAt(0)).isEqualTo('-');
        assertThat(v.toString()).isEqualTo("-1234");
        assertThat(v.subSequence(1, 3).toString()).isEqualTo("12");
        assertThat(Long.parseLong(v, 0, v.length(), 10)).isEqualTo(-1234);

        assertThat(view.of(bytes("ok"), 0, 2).toString()).isEqualTo("ok");
        assertThatThrownBy(() -> view.charAt(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void only_bytes_below_0x80_are_ascii() {
        assertThat(AsciiChars.isAscii(bytes("0123456789-ACTIVE"), 0, 17)).isTrue();
        assertThat(AsciiChars.isAscii(bytes("é"), 0, 2)).isFalse();
        assertThat(AsciiChars.isAscii(new byte[0], 0, 0)).isTrue();
    }

    @Test
    void a_view_of_part_of_an_array_reads_as_that_part() {
        byte[] joined = bytes("1,-42,");

        assertThat(new AsciiChars().of(joined, 2, 5).toString()).isEqualTo("-42");
        assertThat(new AsciiChars().of(joined, 6, 6).length()).isZero();
        assertThat(AsciiChars.isAscii(bytes("1,١"), 0, 2)).isTrue();
        assertThat(AsciiChars.isAscii(bytes("1,١"), 0, 3)).isFalse();
    }

    @Test
    void a_reply_hands_ascii_values_out_in_one_view_and_decodes_other_values_as_utf8() {
        EntryFields fields = ReplyHash.of(ReplyHash.BALANCE, bytes("1,١"));

        assertThat(fields.get("sv").toString()).isEqualTo("1");
        assertThat(fields.get(BalanceEntry.BALANCE)).isEqualTo("١");
        assertThat(fields.get("no such field")).isNull();
        assertThat(BalanceEntry.decodeFields(fields)).isEmpty();
        assertThat(BalanceEntry.decodeFields(ReplyHash.of(ReplyHash.BALANCE, bytes("1,-42"))))
                .map(m -> m.nanos()).contains(-42L);
    }

    @Test
    void empty_values_read_as_empty_wherever_they_stand() {
        EntryFields fields = ReplyHash.of(ReplyHash.KEY_MODEL_USAGE, bytes(",5,,0,17,,"));

        assertThat(fields.get("sv").toString()).isEmpty();
        assertThat(fields.get(ReplyHash.KEY_MODEL_USAGE[1]).toString()).isEqualTo("5");
        assertThat(fields.get(ReplyHash.KEY_MODEL_USAGE[2]).toString()).isEmpty();
        assertThat(fields.get(ReplyHash.KEY_MODEL_USAGE[4]).toString()).isEqualTo("17");
        assertThat(fields.get(ReplyHash.KEY_MODEL_USAGE[6]).toString()).isEmpty();
    }

    @Test
    void a_reply_of_the_wrong_shape_holds_no_entry() {
        assertThat(ReplyHash.of(ReplyHash.BALANCE, bytes("1"))).as("too few values").isNull();
        assertThat(ReplyHash.of(ReplyHash.BALANCE, bytes("1,2,3"))).as("too many values").isNull();
        assertThat(ReplyHash.of(ReplyHash.BALANCE, 0L)).isNull();
        assertThat(ReplyHash.of(ReplyHash.BALANCE, Arrays.asList(bytes("1"), bytes("2")))).as("not joined").isNull();
    }

    @Test
    void one_reader_serves_the_entries_of_a_reply_in_turn_and_refuses_the_wrong_shape_without_moving() {
        ReplyHash reader = new ReplyHash();

        assertThat(reader.over(ReplyHash.BALANCE, bytes("1,7"))).isSameAs(reader);
        assertThat(BalanceEntry.decodeFields(reader)).map(m -> m.nanos()).contains(7L);
        assertThat(reader.over(ReplyHash.KEY_MODEL_USAGE, bytes("2,5,,0,,0,"))).isSameAs(reader);
        assertThat(reader.get("sv").toString()).isEqualTo("2");
        assertThat(reader.get(BalanceEntry.BALANCE)).isNull();

        assertThat(reader.over(ReplyHash.BALANCE, bytes("1"))).isNull();
        assertThat(reader.get("sv").toString()).as("still over the last entry it took").isEqualTo("2");
    }
}
