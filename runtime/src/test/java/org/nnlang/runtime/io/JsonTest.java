package org.nnlang.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON subset of safetensors headers. */
class JsonTest {
    @Test
    void readsObjectsArraysStringsAndIntegers() throws Exception {
        Object value = Json.parse(" {\"a\": [1, -2, 0, 9223372036854775807], \"b\": {\"c\": \"d\"}, \"e\": [],"
                + " \"f\": {}}\n ");
        assertThat(value).isEqualTo(Map.of("a", List.of(1L, -2L, 0L, Long.MAX_VALUE), "b", Map.of("c", "d"),
                "e", List.of(), "f", Map.of()));
        assertThat(((Map<?, ?>) value).keySet().toString()).as("file order").isEqualTo("[a, b, e, f]");
    }

    @Test
    void readsEveryEscape() throws Exception {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00fc \\ud83d\\ude42\""))
                .isEqualTo("\" \\ / \b \f \n \r \t ü 🙂");
    }

    @Test
    void quoteAndParseAreInverse() throws Exception {
        String s = "quote \" backslash \\ newline \n tab \t control \u0001 unicode ü 🙂 slash /";
        assertThat(Json.parse(Json.quote(s))).isEqualTo(s);
        assertThat(Json.quote("a\"b")).isEqualTo("\"a\\\"b\"");
    }

    @Test
    void rejectsEverythingElse() {
        rejects("1.5", "only integers");
        rejects("1e3", "only integers");
        rejects("true", "unexpected 'true'; only objects, arrays, strings and integers are allowed");
        rejects("null", "unexpected 'null'");
        rejects("[1, 2,]", "unexpected ']', expected a value");
        rejects("{\"a\": 1,}", "expected a key");
        rejects("{\"a\": 1, \"a\": 2}", "duplicate key \"a\" at character 9");
        rejects("{\"a\" 1}", "expected ':'");
        rejects("{'a': 1}", "expected a key");
        rejects("\"tab\there\"", "control character U+0009");
        rejects("\"\\x\"", "unknown escape '\\x'");
        rejects("\"\\u12G4\"", "not a hexadecimal digit");
        rejects("\"\\ud83d\"", "unpaired surrogate");
        rejects("\"open", "unterminated string");
        rejects("007", "leading zero");
        rejects("-", "'-' not followed by digits");
        rejects("99999999999999999999", "too large");
        rejects("{} {}", "after the end of the JSON value");
        rejects("", "unexpected end");
        rejects("[1 // comment\n]", "expected ',' or ']'");
        rejects("[".repeat(100) + "]".repeat(100), "nested more than 64 deep");
    }

    private static void rejects(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text)).as(text).isInstanceOf(Json.SyntaxException.class)
                .hasMessageContaining(message);
    }
}
