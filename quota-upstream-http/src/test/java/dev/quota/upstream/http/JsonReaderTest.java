package dev.quota.upstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsNestedObjectsAndArraysKeepingMemberOrder() throws Exception {
        Object v = JsonReader.read(" {\"b\": [1, 2.5, -3e2], \"a\": {\"x\": null, \"y\": true, \"z\": false}} ");
        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(List.copyOf(m.keySet())).isEqualTo(List.of("b", "a"));
        assertThat(m.get("b")).isEqualTo(List.of(1.0, 2.5, -300.0));
        Map<?, ?> a = (Map<?, ?>) m.get("a");
        assertThat(a.containsKey("x")).isTrue();
        assertThat(a.get("x")).isNull();
        assertThat(a.get("y")).isEqualTo(true);
        assertThat(a.get("z")).isEqualTo(false);
    }

    @Test
    void readsEveryStringEscape() throws Exception {
        assertThat(JsonReader.read("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\ud83d\\ude00\""))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t é\uD83D\uDE00");
    }

    @Test
    void readsNumbersInEveryValidForm() throws Exception {
        assertThat(JsonReader.read("0")).isEqualTo(0.0);
        assertThat(JsonReader.read("-0.5")).isEqualTo(-0.5);
        assertThat(JsonReader.read("12E+1")).isEqualTo(120.0);
        assertThat(JsonReader.read("1.25e-2")).isEqualTo(0.0125);
    }

    @Test
    void rejectsWhatStrictJsonDoesNotAllow() {
        for (String bad : Arrays.asList("", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{a:1}", "01", "1.", ".5", "+1", "1e",
                "-", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "tru", "nul", "{} {}", "{\"a\":1 \"b\":2}",
                "{\"a\":1,\"a\":2}", "1e999", "[" .repeat(40) + "]".repeat(40), "\"unterminated")) {
            assertThatThrownBy(() -> JsonReader.read(bad)).as(bad).isInstanceOf(JsonReader.MalformedJsonException.class);
        }
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws Exception {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThat(JsonReader.read(deep)).isInstanceOf(List.class);
        String tooDeep = "[".repeat(JsonReader.MAX_DEPTH + 2) + "]".repeat(JsonReader.MAX_DEPTH + 2);
        assertThatThrownBy(() -> JsonReader.read(tooDeep)).isInstanceOf(JsonReader.MalformedJsonException.class)
                .hasMessageContaining("nesting");
    }

    @Test
    void theErrorNamesTheOffset() {
        assertThatThrownBy(() -> JsonReader.read("{\"a\": x}")).hasMessageContaining("offset 6");
    }
}
