package dev.descent.report;

import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A chart as PNG, the bytes XChart's {@code BitmapEncoder.saveBitmap} writes, but buffered in
 * memory: {@code ImageIO.write} to a stream goes through a temporary file by default (and seeds a
 * SecureRandom to name it), a tenth of the encoding's time at a process's start.
 */
final class Png {
    private Png() {}

    static void write(Chart<?, ?> chart, OutputStream out) throws IOException {
        var image = BitmapEncoder.getBufferedImage(chart);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }
}
