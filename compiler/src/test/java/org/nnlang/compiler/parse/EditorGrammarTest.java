package org.nnlang.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nnlang.compiler.ops.LayerOps;
import org.nnlang.grammar.NnLexer;

/**
 * The TextMate grammar in {@code editors/} highlights what the language has: exactly the keywords of {@code Nn.g4}
 * (read from the generated lexer's vocabulary) and every op name, implemented or planned.
 */
class EditorGrammarTest {
    private static final Path TEXTMATE = Path.of("../editors/textmate/nn.tmLanguage.json");
    private static final Pattern WORD_ALTERNATIVES = Pattern.compile("\\\\b\\(([A-Za-z0-9_|]+)\\)\\\\b");

    @Test
    void keywordsAreExactlyTheGrammarsKeywordTokens() throws IOException {
        Set<String> grammar = new TreeSet<>();
        for (int type = 1; type <= NnLexer.VOCABULARY.getMaxTokenType(); type++) {
            String literal = NnLexer.VOCABULARY.getLiteralName(type);
            if (literal != null && literal.matches("'[A-Za-z_]+'")) {
                grammar.add(literal.substring(1, literal.length() - 1));
            }
        }
        assertThat(grammar).contains("model", "repeat", "true");

        List<String> keyword = words("keyword");
        List<String> constant = words("constant");
        List<String> both = new ArrayList<>(keyword);
        both.addAll(constant);
        assertThat(both).as("keywords and true/false of %s", TEXTMATE).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(both)).isEqualTo(grammar);
    }

    @Test
    void everyOpIsHighlighted() throws IOException {
        Set<String> ops = new TreeSet<>(LayerOps.names());
        assertThat(words("op")).containsAll(ops);
    }

    /** The words of the {@code \b(a|b|c)\b} pattern of the repository entry {@code name}. */
    private static List<String> words(String name) throws IOException {
        JsonObject grammar = JsonParser.parseString(Files.readString(TEXTMATE)).getAsJsonObject();
        String match = grammar.getAsJsonObject("repository").getAsJsonObject(name).get("match").getAsString();
        Matcher m = WORD_ALTERNATIVES.matcher(match);
        assertThat(m.matches()).as("pattern %s of %s is \\b(word|word|...)\\b", name, TEXTMATE).isTrue();
        return List.of(m.group(1).split("\\|"));
    }
}
