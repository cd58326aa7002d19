package org.nnlang.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.TrainingReport;

/**
 * {@code nn train --plot curves.png} (or {@code .svg}): the training curves of a run, drawn with XChart: the mean
 * training loss of each epoch on the left axis and the test accuracy after it, in percent, on the right axis.
 * Works without a display (the plot is drawn in {@code java.awt.headless} mode).
 */
final class TrainingPlot {
    static final String LOSS_AXIS = "train loss";
    static final String ACCURACY_AXIS = "test accuracy (%)";
    static final String EPOCH_AXIS = "epoch";
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    /** The image formats, chosen by the file's extension. */
    enum Format { PNG, SVG }

    private TrainingPlot() {
    }

    /** The format of {@code file} by its extension, or null when it is neither {@code .png} nor {@code .svg}. */
    static Format formatOf(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") ? Format.PNG : name.endsWith(".svg") ? Format.SVG : null;
    }

    /** Draws {@code report}'s curves into {@code file}, PNG or SVG by its extension. */
    static void write(TrainingReport report, Path file) {
        Format format = formatOf(file);
        if (format == null) {
            throw new NnException("cannot plot to " + file + ": the file name must end in .png or .svg");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no window is ever opened; works without a display
        }
        if (report.epochs().isEmpty()) {
            throw new NnException("cannot plot to " + file + ": the run has no finished epoch");
        }
        XYChart chart = chart(report);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (format == Format.PNG) {
                try (OutputStream out = Files.newOutputStream(file)) {
                    BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
                }
            } else {
                ByteArrayOutputStream svg = new ByteArrayOutputStream();
                VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                Files.writeString(file, describe(svg.toString(StandardCharsets.UTF_8), report));
            }
        } catch (IOException e) {
            throw new NnException("cannot write the plot " + file + ": "
                    + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /**
     * The SVG with a {@code <title>} and {@code <desc>} naming the chart and its axes. XChart draws every letter as a
     * path, so without them the file holds no words at all for screen readers, search or tests.
     */
    static String describe(String svg, TrainingReport report) {
        Matcher root = Pattern.compile("<svg\\b[^>]*>").matcher(svg);
        if (!root.find()) {
            return svg;
        }
        String text = "\n  <title>" + escape(title(report)) + "</title>\n  <desc>" + escape("x axis: " + EPOCH_AXIS
                + "; left y axis: " + LOSS_AXIS + "; right y axis: " + ACCURACY_AXIS) + "</desc>";
        return svg.substring(0, root.end()) + text + svg.substring(root.end());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String title(TrainingReport report) {
        return report.model() + " on " + report.device();
    }

    /** The chart: loss on axis group 0 (left), accuracy on group 1 (right), one point per epoch. */
    static XYChart chart(TrainingReport report) {
        List<EpochResult> epochs = report.epochs();
        double[] x = new double[epochs.size()];
        double[] loss = new double[epochs.size()];
        double[] accuracy = new double[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            x[i] = epochs.get(i).epoch();
            loss[i] = epochs.get(i).trainLoss();
            accuracy[i] = 100 * epochs.get(i).testAccuracy();
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title(report))
                .xAxisTitle(EPOCH_AXIS).build();
        chart.setYAxisGroupTitle(0, LOSS_AXIS);
        chart.setYAxisGroupTitle(1, ACCURACY_AXIS);
        XYStyler styler = chart.getStyler();
        styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setXAxisDecimalPattern("0");
        if (epochs.size() > 1) {
            styler.setXAxisMin(x[0]);
            styler.setXAxisMax(x[x.length - 1]);
        }
        XYSeries lossSeries = chart.addSeries(LOSS_AXIS, x, loss);
        lossSeries.setYAxisGroup(0);
        lossSeries.setMarker(SeriesMarkers.CIRCLE);
        XYSeries accuracySeries = chart.addSeries(ACCURACY_AXIS, x, accuracy);
        accuracySeries.setYAxisGroup(1);
        accuracySeries.setMarker(SeriesMarkers.DIAMOND);
        return chart;
    }
}
