package io.metaxy.sample.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** PNG frames through {@code ImageIO}: synthetic frames with bright discs ("faces"), crops, and blob counting. */
public final class Frames {
  private Frames() {}

  /** Draws a dark frame with {@code faces} bright discs at seeded positions that do not overlap. */
  public static BufferedImage synthetic(int width, int height, int faces, long seed) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setColor(new Color(20, 24, 32));
    g.fillRect(0, 0, width, height);
    SplittableRandom rnd = new SplittableRandom(seed);
    int r = Math.max(3, Math.min(width, height) / 10);
    List<int[]> placed = new ArrayList<>();
    for (int attempt = 0; placed.size() < faces && attempt < 1000; attempt++) {
      int x = width / 4 + rnd.nextInt(Math.max(1, width / 2 - 2 * r));
      int y = height / 4 + rnd.nextInt(Math.max(1, height / 2 - 2 * r));
      boolean clear = placed.stream().allMatch(p -> Math.hypot(p[0] - x, p[1] - y) > 2.5 * r);
      if (clear) {
        placed.add(new int[] {x, y});
        g.setColor(new Color(230, 200 + rnd.nextInt(40), 170));
        g.fillOval(x, y, 2 * r, 2 * r);
      }
    }
    g.dispose();
    return img;
  }

  /** Writes a PNG, creating parent directories. */
  public static void write(Path file, BufferedImage img) {
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads a PNG. */
  public static BufferedImage read(Path file) {
    try {
      BufferedImage img = ImageIO.read(file.toFile());
      if (img == null) {
        throw new IllegalArgumentException(file + " is not an image");
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The PNG files of a directory, sorted by name. */
  public static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The central half of an image (where the synthetic faces are). */
  public static BufferedImage centerCrop(BufferedImage img) {
    int w = img.getWidth() / 2;
    int h = img.getHeight() / 2;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(img.getSubimage(w / 2, h / 2, w, h), 0, 0, null);
    g.dispose();
    return out;
  }

  /** Mean luminance in [0, 255]. */
  public static double meanBrightness(BufferedImage img) {
    double sum = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        sum += luminance(img.getRGB(x, y));
      }
    }
    return sum / (img.getWidth() * (double) img.getHeight());
  }

  /** Counts 4-connected bright blobs of at least {@code minPixels} pixels: our "face detector". */
  public static int countBlobs(BufferedImage img, int minPixels) {
    int w = img.getWidth();
    int h = img.getHeight();
    boolean[] bright = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        bright[y * w + x] = luminance(img.getRGB(x, y)) > 128;
      }
    }
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[w * h];
    int blobs = 0;
    for (int start = 0; start < w * h; start++) {
      if (!bright[start] || seen[start]) {
        continue;
      }
      int size = 0;
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      while (top > 0) {
        int p = stack[--top];
        size++;
        int px = p % w;
        int py = p / w;
        int[] next = {
          px > 0 ? p - 1 : -1, px < w - 1 ? p + 1 : -1, py > 0 ? p - w : -1, py < h - 1 ? p + w : -1
        };
        for (int q : next) {
          if (q >= 0 && bright[q] && !seen[q]) {
            seen[q] = true;
            stack[top++] = q;
          }
        }
      }
      if (size >= minPixels) {
        blobs++;
      }
    }
    return blobs;
  }

  private static double luminance(int rgb) {
    return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
  }
}
