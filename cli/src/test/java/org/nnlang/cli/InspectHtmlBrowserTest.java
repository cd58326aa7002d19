package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.inspect.GraphSummary;
import org.nnlang.compiler.inspect.ModelInspector;
import org.nnlang.compiler.inspect.NodeRow;

/**
 * The page of {@code nn inspect --format html} in a real browser: headless Chromium (Debian's {@code chromium}
 * package) loads it, and the DOM it ends with has one SVG group per node of both graphs, and the screenshot is a
 * PNG with a drawing on it. Skipped, saying so, where {@code /usr/bin/chromium} is not installed
 * ({@code apt-get install chromium}; CI installs it).
 */
class InspectHtmlBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String SEED = "../examples/seed-mlp.nn";

    @TempDir
    Path dir;

    @Test
    void everyNodeIsDrawn() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: /usr/bin/chromium is not installed (apt-get install chromium) to render the HTML page");
        Path html = dir.resolve("seed-mlp.html");
        NnRun run = NnRun.of("inspect", SEED, "--format", "html", "--output", html.toString());
        assertThat(run.status()).as(run.toString()).isZero();

        String dom = chromium(html.toUri() + "#training:linear1", "--dump-dom");
        Compilation compilation = Compiler.compile(Path.of(SEED));
        for (String graph : List.of(ModelInspector.INFERENCE, ModelInspector.TRAINING)) {
            GraphSummary summary = ModelInspector.summarize(compilation, "SeedMlp", graph, null);
            Set<String> drawn = new HashSet<>();
            Matcher m = Pattern.compile("<g class=\"node[^\"]*\" data-name=\"([^\"]+)\" data-graph=\"" + graph + "\"")
                    .matcher(dom);
            int groups = 0;
            while (m.find()) {
                drawn.add(m.group(1).replace("&amp;", "&"));
                groups++;
            }
            List<String> expected = new ArrayList<>(summary.rows().stream().map(NodeRow::name).toList());
            summary.inputs().forEach(i -> expected.add(i.name()));
            assertThat(drawn).as(graph + " graph").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(groups).as("one group per node").isEqualTo(expected.size());
        }
        assertThat(dom).as("the script ran: #training:linear1 selected the node and showed its details")
                .contains("<h3>linear1</h3>", "100,480");

        Path png = dir.resolve("seed-mlp.png");
        chromium(html.toUri().toString(), "--screenshot=" + png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(1400);
        Set<Integer> colours = new HashSet<>();
        int dark = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 200) {
                    dark++;
                }
            }
        }
        assertThat(colours.size()).as("not blank: text, boxes and fills").isGreaterThan(20);
        assertThat(dark).as("some ink").isGreaterThan(200);
    }

    /** Runs headless Chromium on {@code url}; returns what it printed on stdout. */
    private String chromium(String url, String action) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        Path out = dir.resolve("chromium.out");
        Process process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000", action, url)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        assertThat(process.exitValue()).as("chromium's exit status").isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
