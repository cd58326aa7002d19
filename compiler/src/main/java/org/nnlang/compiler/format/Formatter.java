package org.nnlang.compiler.format;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.Parameter;
import org.nnlang.compiler.ast.Setting;
import org.nnlang.compiler.ast.Statement;
import org.nnlang.compiler.ast.TensorExpression;
import org.nnlang.compiler.parse.SourceLayout;
import org.nnlang.compiler.parse.SourceLayout.Comment;
import org.nnlang.compiler.parse.SourceParser;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;

/**
 * {@code nn fmt}: prints a file in the one canonical layout, the one the examples use:
 * <ul>
 *   <li>four spaces of indentation a level, one statement or setting a line, {@code ;} never needed; a chain the
 *       author went on with on lines starting with {@code ->} keeps those line breaks, its arrows lined up under
 *       the first one;</li>
 *   <li>one blank line between declarations; inside a body, a blank line the author left between two statements
 *       is kept (several become one), so groups of layers stay groups;</li>
 *   <li>spaces around {@code ->}, {@code +}, {@code =} and arithmetic operators, after commas, none inside brackets:
 *       {@code a -> linear(out = 10, bias = false)}, {@code input x: [1, 28, 28]}, {@code linear(hidden / 2)};</li>
 *   <li>the {@code =} of a train, distill or prune block's settings aligned under each other;</li>
 *   <li>no parentheses but those the meaning needs ({@code (x + y) -> relu}, {@code a * (b + c)}), numbers as
 *       written ({@code 1e-3} stays {@code 1e-3}), strings re-escaped; no other line is ever wrapped.</li>
 * </ul>
 *
 * <p><b>Comments are kept.</b> The AST has no comments, so they are read back from the token stream
 * ({@link SourceLayout}) and put where they were: a comment on a line of its own stays on a line of its own before
 * the statement, setting or declaration it preceded (or before the closing brace, or at the end of the file), at the
 * indentation of that place; a comment after code stays after that code, and the trailing comments of neighbouring
 * lines are aligned two spaces after the longest of them (or where the author lined them all up, if that is further
 * right). A statement written over several lines (other than at its arrows) becomes one line, so comments from its
 * inner lines move above it, in order. {@link #format(SourceFile, Diagnostics)} checks the
 * result before handing it out: it must parse to the same tree and hold the same comments, or it is refused.
 *
 * <p>Formatting is idempotent: formatting formatted text changes nothing.
 */
public final class Formatter {
    private static final String INDENT = "    ";

    /** A line of output: code, a trailing comment, both (code then comment), or neither (a blank line). */
    private static final class Line {
        final int indent;
        final String code;
        String comment;
        /** Where the trailing comment was written (1-based column), to keep a column the author aligned to. */
        int commentColumn;
        /** For the lines of a chain written over several lines: the source line this one starts at. */
        int sourceLine;

        Line(int indent, String code, String comment) {
            this.indent = indent;
            this.code = code;
            this.comment = comment;
        }

        boolean isBlank() {
            return code == null && comment == null;
        }
    }

    private final SourceFile file;
    private final SourceLayout layout;
    private final List<Comment> comments;
    private int nextComment;
    private final List<Line> lines = new ArrayList<>();
    private int indent;

    private Formatter(SourceFile file, SourceLayout layout) {
        this.file = file;
        this.layout = layout;
        this.comments = layout.comments();
    }

    /**
     * Parses and formats {@code file}. Returns {@code null} when it has syntax errors, which are then in
     * {@code diagnostics}: a formatter must not guess what broken code meant.
     *
     * @throws IllegalStateException if the formatted text would not mean the same or would lose a comment (a bug in
     *                               the formatter; the file is then better left alone)
     */
    public static String format(SourceFile file, Diagnostics diagnostics) {
        CompilationUnit unit = SourceParser.parse(file, diagnostics);
        if (diagnostics.hasErrors()) {
            return null;
        }
        String formatted = format(unit);
        SourceFile result = SourceFile.of(file.name(), formatted);
        Diagnostics again = new Diagnostics();
        CompilationUnit reparsed = SourceParser.parse(result, again);
        if (again.hasErrors() || !reparsed.declarations().equals(unit.declarations())) {
            throw new IllegalStateException("formatting " + file.name() + " would change its meaning");
        }
        if (!commentTexts(SourceLayout.of(file)).equals(commentTexts(SourceLayout.of(result)))) {
            throw new IllegalStateException("formatting " + file.name() + " would lose or change a comment");
        }
        return formatted;
    }

    /**
     * The canonical text of {@code unit}, with the comments of {@code unit.file()} (the file it was parsed from). A
     * tree built in memory, with a file that is not its source, is printed without comments or blank lines.
     */
    public static String format(CompilationUnit unit) {
        Formatter formatter = new Formatter(unit.file(), SourceLayout.of(unit.file()));
        formatter.declarations(unit.declarations());
        return formatter.render();
    }

    private static List<String> commentTexts(SourceLayout layout) {
        return layout.comments().stream().map(Comment::text).sorted().toList();
    }

    // ------------------------------------------------------------------ declarations

    private void declarations(List<Declaration> declarations) {
        for (int i = 0; i < declarations.size(); i++) {
            Declaration declaration = declarations.get(i);
            leading(declaration.span(), i == 0, i > 0);
            int first = lines.size();
            declaration(declaration);
            trailing(declaration.span(), i + 1 < declarations.size() ? declarations.get(i + 1).span() : null, first,
                    false);
        }
        closing(Integer.MAX_VALUE, declarations.isEmpty());
    }

    private void declaration(Declaration declaration) {
        if (declaration instanceof Declaration.Import d) {
            code("import " + quote(d.path()));
        } else if (declaration instanceof Declaration.Model d) {
            code("model " + d.name() + parameters(d.parameters()) + " {");
            body(d.body(), layout.lastLine(d.span()));
        } else if (declaration instanceof Declaration.Block d) {
            code("block " + d.name() + parameters(d.parameters()) + " {");
            body(d.body(), layout.lastLine(d.span()));
        } else if (declaration instanceof Declaration.Train d) {
            String arguments = d.modelArguments().isEmpty() ? "" : "(" + arguments(d.modelArguments()) + ")";
            code("train " + d.model() + arguments + " {");
            settings(d.settings(), layout.lastLine(d.span()));
        } else if (declaration instanceof Declaration.Distill d) {
            code("distill " + d.student() + " from " + d.teacher() + " {");
            settings(d.settings(), layout.lastLine(d.span()));
        } else if (declaration instanceof Declaration.Prune d) {
            code("prune " + d.model() + " {");
            settings(d.settings(), layout.lastLine(d.span()));
        } else {
            throw new IllegalArgumentException("Formatter has no case for " + declaration.getClass().getSimpleName());
        }
    }

    private String parameters(List<Parameter> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.stream()
                .map(p -> p.isRequired() ? p.name() : p.name() + " = " + expression(p.defaultValue()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private void settings(List<Setting> settings, int closingLine) {
        int width = settings.stream().mapToInt(s -> s.key().length()).max().orElse(0);
        indent++;
        for (int i = 0; i < settings.size(); i++) {
            Setting setting = settings.get(i);
            leading(setting.span(), i == 0, false);
            int first = lines.size();
            code(pad(setting.key(), width) + " = " + expression(setting.value()));
            trailing(setting.span(), i + 1 < settings.size() ? settings.get(i + 1).span() : null, first, false);
        }
        closing(closingLine, settings.isEmpty());
        indent--;
        code("}");
    }

    // ------------------------------------------------------------------ statements

    private void body(List<Statement> body, int closingLine) {
        indent++;
        for (int i = 0; i < body.size(); i++) {
            Statement statement = body.get(i);
            leading(statement.span(), i == 0, false);
            int first = lines.size();
            statement(statement);
            trailing(statement.span(), i + 1 < body.size() ? body.get(i + 1).span() : null, first,
                    statement instanceof Statement.Flow);
        }
        closing(closingLine, body.isEmpty());
        indent--;
        code("}");
    }

    private void statement(Statement statement) {
        if (statement instanceof Statement.Input s) {
            code("input " + s.name() + ": "
                    + s.dimensions().stream().map(this::expression).collect(Collectors.joining(", ", "[", "]")));
        } else if (statement instanceof Statement.Flow s) {
            flow(s);
        } else if (statement instanceof Statement.Repeat s) {
            code("repeat " + expression(s.count()) + " {");
            body(s.body(), layout.lastLine(s.span()));
        } else if (statement instanceof Statement.Output s) {
            code("output " + s.name());
        } else {
            throw new IllegalArgumentException("Formatter has no case for " + statement.getClass().getSimpleName());
        }
    }

    /**
     * {@code name = chain}. Where the author went on with a chain on a line starting with {@code ->}, so does the
     * output: the continuation lines' arrows line up under the first line's first arrow (or one indent in).
     */
    private void flow(Statement.Flow flow) {
        String prefix = flow.target() == null ? "" : flow.target() + " = ";
        List<TensorExpression.Call> ops = new ArrayList<>();
        TensorExpression start = flow.value();
        while (start instanceof TensorExpression.Pipe pipe) {
            ops.add(0, pipe.op());
            start = pipe.source();
        }
        boolean[] breakBefore = new boolean[ops.size()];
        boolean anyBreak = false;
        int previousLine = start.span().line();
        for (int i = 0; i < ops.size(); i++) {
            int line = ops.get(i).nameSpan().line();
            breakBefore[i] = line > previousLine && layout.startsWithArrow(line);
            anyBreak |= breakBefore[i];
            previousLine = line;
        }
        if (!anyBreak) {
            code(prefix + tensor(flow.value(), 0));
            return;
        }
        StringBuilder current = new StringBuilder(prefix).append(tensor(start, PIPE));
        int arrowColumn = breakBefore[0] ? INDENT.length() : current.length() + 1;
        int currentLine = flow.span().line();
        for (int i = 0; i < ops.size(); i++) {
            if (breakBefore[i]) {
                code(current.toString()).sourceLine = currentLine;
                current = new StringBuilder(" ".repeat(arrowColumn)).append("-> ");
                currentLine = ops.get(i).nameSpan().line();
            } else {
                current.append(" -> ");
            }
            current.append(call(ops.get(i)));
        }
        code(current.toString()).sourceLine = currentLine;
    }

    // ------------------------------------------------------------------ tensor expressions

    private static final int ADD = 1;
    private static final int PIPE = 2;
    private static final int ATOM = 3;

    /** {@code tensor}, in parentheses if it binds more loosely than {@code context} needs. */
    private String tensor(TensorExpression tensor, int context) {
        int precedence = precedence(tensor);
        String text;
        if (tensor instanceof TensorExpression.Call t) {
            text = call(t);
        } else if (tensor instanceof TensorExpression.Pipe t) {
            text = tensor(t.source(), PIPE) + " -> " + call(t.op());
        } else if (tensor instanceof TensorExpression.Add t) {
            // '+' groups to the left: a + b + c is (a + b) + c, so only a right operand that is a sum needs brackets.
            // A chain operand gets them too though '->' binds tighter: x + (y -> relu) reads as what it means.
            text = addOperand(t.left(), ADD) + " + " + addOperand(t.right(), ADD + 1);
        } else if (tensor instanceof TensorExpression.Tuple t) {
            text = t.items().stream().map(item -> tensor(item, 0)).collect(Collectors.joining(", ", "(", ")"));
        } else {
            throw new IllegalArgumentException("Formatter has no case for " + tensor.getClass().getSimpleName());
        }
        return precedence < context ? "(" + text + ")" : text;
    }

    private String addOperand(TensorExpression operand, int context) {
        return tensor(operand, operand instanceof TensorExpression.Pipe ? ATOM : context);
    }

    private static int precedence(TensorExpression tensor) {
        if (tensor instanceof TensorExpression.Add) {
            return ADD;
        }
        return tensor instanceof TensorExpression.Pipe ? PIPE : ATOM;
    }

    private String call(TensorExpression.Call call) {
        return call.hasParentheses() || !call.arguments().isEmpty()
                ? call.name() + "(" + arguments(call.arguments()) + ")"
                : call.name();
    }

    // ------------------------------------------------------------------ values

    private static final int SUM = 1;
    private static final int PRODUCT = 2;
    private static final int NEGATION = 3;
    private static final int VALUE = 4;

    private String expression(Expression expression) {
        return expression(expression, 0);
    }

    private String expression(Expression expression, int context) {
        String text;
        if (expression instanceof Expression.Number e) {
            text = e.text();
        } else if (expression instanceof Expression.Bool e) {
            text = String.valueOf(e.value());
        } else if (expression instanceof Expression.Text e) {
            text = quote(e.value());
        } else if (expression instanceof Expression.Name e) {
            text = e.name();
        } else if (expression instanceof Expression.Call e) {
            text = e.name() + "(" + arguments(e.arguments()) + ")";
        } else if (expression instanceof Expression.ListOf e) {
            text = e.items().stream().map(this::expression).collect(Collectors.joining(", ", "[", "]"));
        } else if (expression instanceof Expression.Negate e) {
            text = "-" + expression(e.operand(), NEGATION);
        } else if (expression instanceof Expression.Binary e) {
            // Left-associative: a - b - c is (a - b) - c, so a right operand of the same precedence needs brackets.
            int precedence = precedence(e);
            text = expression(e.left(), precedence) + " " + e.operator() + " "
                    + expression(e.right(), precedence + 1);
        } else {
            throw new IllegalArgumentException("Formatter has no case for " + expression.getClass().getSimpleName());
        }
        return precedence(expression) < context ? "(" + text + ")" : text;
    }

    private static int precedence(Expression expression) {
        if (expression instanceof Expression.Binary e) {
            return e.operator() == '+' || e.operator() == '-' ? SUM : PRODUCT;
        }
        return expression instanceof Expression.Negate ? NEGATION : VALUE;
    }

    private String arguments(List<Argument> arguments) {
        return arguments.stream()
                .map(a -> a.isNamed() ? a.name() + " = " + expression(a.value()) : expression(a.value()))
                .collect(Collectors.joining(", "));
    }

    /**
     * A string literal for {@code text}. Only what must be escaped is: {@code "}, line breaks, tabs, and a backslash
     * that would otherwise start an escape. Other backslashes stay single, so {@code "C:\data"} keeps its spelling.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> {
                    // Doubled when what follows would otherwise read as an escape: n, t, or anything this
                    // method itself writes with a backslash (", \, a line break, a tab), or the closing quote.
                    char next = i + 1 < text.length() ? text.charAt(i + 1) : '"';
                    out.append("nt\"\\\n\t".indexOf(next) >= 0 ? "\\\\" : "\\");
                }
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    // ------------------------------------------------------------------ comments and blank lines

    /**
     * Before the item starting at {@code start}: the comments written before it, each on its own line, and the
     * blank lines around them. A comment that trails code which is not an item of its own (the line
     * {@code model M {  // …}) stays on that line.
     *
     * @param first     whether the item is the first of its block (no blank line before it)
     * @param forceBlank whether a blank line must separate it from what came before (declarations)
     */
    private void leading(Span start, boolean first, boolean forceBlank) {
        boolean nothingYet = first;
        while (nextComment < comments.size() && before(comments.get(nextComment), start)) {
            Comment comment = comments.get(nextComment++);
            if (attachToLastLine(comment)) {
                continue;
            }
            if (!nothingYet && (forceBlank || blankBefore(comment.line()))) {
                blank();
            }
            forceBlank = false;
            lines.add(new Line(indent, null, comment.text()));
            nothingYet = false;
        }
        if (!nothingYet && (forceBlank || startsLine(start) && blankBefore(start.line()))) {
            blank();
        }
    }

    /** Whether {@code start} is the first thing on its line (not after a ';'). */
    private boolean startsLine(Span start) {
        String line = file.line(start.line());
        return line.substring(0, Math.min(line.length(), Math.max(0, start.column() - 1))).isBlank();
    }

    /**
     * After the item starting at {@code start}, printed from output line {@code firstLine} on: the comments on its
     * source lines. The one at the end of its last line trails its last output line (and for a chain kept on several
     * lines, the one at the end of each of those its line); any others (from inner lines, such as a call's arguments
     * written over several) go on lines of their own above it.
     *
     * @param chain whether every output line from {@code firstLine} on is the item's own (a flow statement);
     *              otherwise only the last is (the others belong to a body or settings block)
     */
    private void trailing(Span start, Span nextStart, int firstLine, boolean chain) {
        int lastLine = layout.lastLine(start);
        List<Comment> inside = new ArrayList<>();
        while (nextComment < comments.size() && comments.get(nextComment).line() <= lastLine
                && (nextStart == null || before(comments.get(nextComment), nextStart))) {
            inside.add(comments.get(nextComment++));
        }
        if (inside.isEmpty()) {
            return;
        }
        List<Line> own = chain ? List.copyOf(lines.subList(firstLine, lines.size()))
                : List.of(lines.get(lines.size() - 1));
        List<Comment> above = new ArrayList<>();
        for (Comment comment : inside) {
            int k = own.size() - 1;
            while (k > 0 && own.get(k).sourceLine > comment.line()) {
                k--;
            }
            int endLine = k + 1 < own.size() ? own.get(k + 1).sourceLine - 1 : lastLine;
            Line target = own.get(k);
            if (!comment.ownLine() && comment.line() == endLine && target.code != null && target.comment == null) {
                target.comment = comment.text();
                target.commentColumn = comment.column();
            } else {
                above.add(comment);
            }
        }
        int itemIndent = lines.get(firstLine).indent;
        for (int i = 0; i < above.size(); i++) {
            lines.add(firstLine + i, new Line(itemIndent, null, above.get(i).text()));
        }
    }

    /** Before a closing brace (or the end of the file, {@code closingLine} MAX_VALUE): the comments left in the block. */
    private void closing(int closingLine, boolean empty) {
        boolean nothingYet = empty;
        while (nextComment < comments.size() && comments.get(nextComment).line() < closingLine) {
            Comment comment = comments.get(nextComment++);
            if (attachToLastLine(comment)) {
                continue;
            }
            if (!nothingYet && blankBefore(comment.line())) {
                blank();
            }
            lines.add(new Line(indent, null, comment.text()));
            nothingYet = false;
        }
    }

    /** A comment after code on its line goes after the last line printed, if that is code without a comment yet. */
    private boolean attachToLastLine(Comment comment) {
        if (comment.ownLine() || lines.isEmpty()) {
            return false;
        }
        Line last = lines.get(lines.size() - 1);
        if (last.code == null || last.comment != null) {
            return false;
        }
        last.comment = comment.text();
        last.commentColumn = comment.column();
        return true;
    }

    private static boolean before(Comment comment, Span start) {
        return comment.line() < start.line() || comment.line() == start.line() && comment.column() < start.column();
    }

    /** Whether the source has a blank line just above {@code line} (never for made-up spans, on line 0). */
    private boolean blankBefore(int line) {
        return line > 1 && file.line(line - 1).isBlank();
    }

    private Line code(String text) {
        Line line = new Line(indent, text, null);
        lines.add(line);
        return line;
    }

    private void blank() {
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
            lines.add(new Line(0, null, null));
        }
    }

    // ------------------------------------------------------------------ output

    /**
     * The lines as text. Trailing comments of neighbouring code lines (same indentation, no blank or comment line
     * between) line up two spaces after the longest code among them, or, when there are several, at the column the
     * author lined them all up at if that is further right. Either way the result has them at one column that passes this test, so
     * formatting again keeps it.
     */
    private String render() {
        StringBuilder out = new StringBuilder();
        int runStart = 0;
        while (runStart < lines.size()) {
            int runEnd = runStart + 1;
            Line first = lines.get(runStart);
            if (first.code != null) {
                while (runEnd < lines.size() && lines.get(runEnd).code != null
                        && lines.get(runEnd).indent == first.indent) {
                    runEnd++;
                }
            }
            int commentColumn = 0;
            int commented = 0;
            Set<Integer> authorsColumns = new HashSet<>();
            for (int i = runStart; i < runEnd; i++) {
                Line line = lines.get(i);
                if (line.code != null && line.comment != null) {
                    commentColumn = Math.max(commentColumn, line.code.length() + 2);
                    authorsColumns.add(line.commentColumn - 1 - INDENT.length() * line.indent);
                    commented++;
                }
            }
            // Comments the author lined up further right stay at their column.
            if (commented > 1 && authorsColumns.size() == 1 && authorsColumns.iterator().next() > commentColumn) {
                commentColumn = authorsColumns.iterator().next();
            }
            for (int i = runStart; i < runEnd; i++) {
                Line line = lines.get(i);
                if (!line.isBlank()) {
                    out.append(INDENT.repeat(line.indent));
                    if (line.code != null) {
                        out.append(line.comment == null ? line.code : pad(line.code, commentColumn));
                    }
                    if (line.comment != null) {
                        out.append(line.comment);
                    }
                }
                out.append('\n');
            }
            runStart = runEnd;
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
