package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.TrainingReport;
import org.w3c.dom.Document;

class TrainingPlotTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final TrainingReport TWO_EPOCHS = new TrainingReport("SeedMlp", "cpu", List.of(
            new EpochResult(1, 0.612, 0.803, 12_000, 0.8),
            new EpochResult(2, 0.437, 0.842, 12_500, 0.8)));

    @TempDir
    Path dir;

    @Test
    void drawsAPng() throws IOException {
        Path png = dir.resolve("curves.png");
        TrainingPlot.write(TWO_EPOCHS, png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(PNG_SIGNATURE);
        assertThat(bytes.length).isGreaterThan(10_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void drawsAnSvgWithTheAxisTitles() throws Exception {
        Path svg = dir.resolve("plots/curves.SVG");
        TrainingPlot.write(TWO_EPOCHS, svg);
        String text = Files.readString(svg);
        assertThat(text.length()).isGreaterThan(2_000);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
        String all = document.getDocumentElement().getTextContent();
        assertThat(all).contains(TrainingPlot.LOSS_AXIS, TrainingPlot.ACCURACY_AXIS, TrainingPlot.EPOCH_AXIS);
    }

    @Test
    void onlyPngAndSvg() {
        assertThat(TrainingPlot.formatOf(Path.of("a.png"))).isEqualTo(TrainingPlot.Format.PNG);
        assertThat(TrainingPlot.formatOf(Path.of("a.Svg"))).isEqualTo(TrainingPlot.Format.SVG);
        assertThat(TrainingPlot.formatOf(Path.of("a.pdf"))).isNull();
        assertThatThrownBy(() -> TrainingPlot.write(TWO_EPOCHS, dir.resolve("a.jpg")))
                .isInstanceOf(NnException.class).hasMessageContaining("must end in .png or .svg");
    }

    @Test
    void trainPlotsTheCurvesOfTheRun() throws IOException {
        Path data = tinyDataset();
        Path model = Files.writeString(dir.resolve("mlp.nn"), String.join("\n",
                "model Tiny {",
                "    input image: [1, 28, 28]",
                "    flatten -> linear(16) -> relu -> linear(10)",
                "}",
                "train Tiny {",
                "    data = fashion_mnist",
                "    loss = cross_entropy",
                "    optimizer = adam(lr = 0.001)",
                "    epochs = 5",
                "}", ""));
        Path png = dir.resolve("out/curves.png");
        NnRun run = NnRun.of("train", model.toString(), "--data", data.toString(), "--epochs", "1",
                "--plot", png.toString());
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("training curves plotted to " + png);
        assertThat(Arrays.copyOf(Files.readAllBytes(png), 8)).containsExactly(PNG_SIGNATURE);
    }

    @Test
    void aPlotFileOfAnotherKindIsAUsageErrorBeforeTraining() throws IOException {
        Path model = Files.writeString(dir.resolve("m.nn"), "model M {\n    input x: [4]\n    linear(2)\n}\n");
        NnRun run = NnRun.of("train", model.toString(), "--plot", "curves.jpg");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--plot curves.jpg: the file name must end in .png or .svg");
    }

    /** 128 training and 32 test images of noise in MNIST's IDX format, so one epoch takes a moment. */
    private Path tinyDataset() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        java.util.Random random = new java.util.Random(1);
        for (String[] set : new String[][] {{"train", "128"}, {"t10k", "32"}}) {
            int count = Integer.parseInt(set[1]);
            byte[] pixels = new byte[count * 28 * 28];
            random.nextBytes(pixels);
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) random.nextInt(10);
            }
            Files.write(data.resolve(set[0] + "-images-idx3-ubyte"), idx(0x803, new int[] {count, 28, 28}, pixels));
            Files.write(data.resolve(set[0] + "-labels-idx1-ubyte"), idx(0x801, new int[] {count}, labels));
        }
        return data;
    }

    private static byte[] idx(int magic, int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
        }
        return bytes.toByteArray();
    }
}
