package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LuaLibTest {

    private static final String LIB = """
            -- header
            local A = 1
            local b, c = string.byte, string.char

            -- uses A and b
            local function f(x)
              -- an indented comment stays
              return b(x) + A
            end

            local function g()
              return c(65)
            end
            local function h()
              return f('a')
            end
            """;

    @Test
    void aScriptGetsTheDefinitionsItUsesDirectlyOrThroughOthersInTheLibrarysOrder() {
        String prelude = LuaLib.parse(LIB).preludeFor("return h()");

        assertThat(prelude).isEqualTo("""
                local A = 1
                local b, c = string.byte, string.char
                local function f(x)
                  -- an indented comment stays
                  return b(x) + A
                end
                local function h()
                  return f('a')
                end
                """);
    }

    @Test
    void aScriptThatUsesNothingGetsNothing() {
        assertThat(LuaLib.parse(LIB).preludeFor("return redis.call('GET', KEYS[1])")).isEmpty();
    }

    @Test
    void aStatementOutsideADefinitionIsRefused() {
        assertThatThrownBy(() -> LuaLib.parse("redis.call('DEL', 'x')\nlocal A = 1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside a definition");
        assertThatThrownBy(() -> LuaLib.parse("local A = 1\nlocal A = 2\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void everyScriptDeclaresEveryLibraryNameItMentionsAndNoUnusedOnes() {
        Scripts s = Scripts.get();
        LuaLib lib = LuaLib.parse(resource("lib"));
        Pattern name = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
        for (LuaScript script : List.of(s.check(), s.apply(), s.put(), s.evict(), s.rpm(), s.outboxAck(),
                s.outboxClaim(), s.renew())) {
            String source = script.source();
            Matcher m = name.matcher(source);
            while (m.find()) {
                String n = m.group();
                if (lib.names().contains(n)) {
                    assertThat(source).as("%s declares %s", script.name(), n)
                            .containsPattern("(?m)^local (function )?([A-Za-z_0-9]+, )*" + n + "\\b");
                }
            }
        }
        // the check script has no outbox or type guard; the record script compares no caps
        assertThat(s.check().source()).doesNotContain("q_first_wrong_type").contains("local function q_add(");
        assertThat(s.apply().source()).doesNotContain("q_denies_hold").contains("local function q_type(");
        assertThat(s.evict().source()).doesNotContain("local function");
    }

    @Test
    void theJavaFieldListsOfTheCheckReplyAreTheOnesTheScriptsRead() {
        String lib = resource("lib");
        assertThat(luaList(lib, "Q_BALANCE_FIELDS")).containsExactly(ReplyHash.BALANCE);
        assertThat(luaList(lib, "Q_SUB_FIELDS")).containsExactly(ReplyHash.SUBSCRIPTION);
        assertThat(luaList(lib, "Q_PQ_FIELDS")).containsExactly(ReplyHash.PLATFORM_QUOTA);
        assertThat(luaList(lib, "Q_KEY_FIELDS")).containsExactly(ReplyHash.KEY_USAGE);
        assertThat(luaList(lib, "Q_KEY_MODEL_FIELDS")).containsExactly(ReplyHash.KEY_MODEL_USAGE);
    }

    /** The strings of {@code local NAME = { 'a', 'b', ... }} in the Lua text. */
    private static List<String> luaList(String lua, String name) {
        Matcher m = Pattern.compile("(?s)local " + name + " = \\{(.*?)\\}").matcher(lua);
        assertThat(m.find()).as(name).isTrue();
        List<String> out = new java.util.ArrayList<>();
        Matcher item = Pattern.compile("'([^']*)'").matcher(m.group(1));
        while (item.find()) {
            out.add(item.group(1));
        }
        return out;
    }

    private static String resource(String name) {
        try (var in = LuaLibTest.class.getResourceAsStream("/dev/quota/redis/" + name + ".lua")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
