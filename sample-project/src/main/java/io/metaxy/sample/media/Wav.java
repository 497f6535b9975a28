package io.metaxy.sample.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Mono 16-bit PCM WAV files through {@code javax.sound.sampled}, as float samples in [-1, 1]. */
public final class Wav {
  /** The sample rate of every file the sample pipeline writes. */
  public static final float SAMPLE_RATE = 8000f;

  private Wav() {}

  /** Writes samples as a mono 16-bit WAV file, creating parent directories. */
  public static void write(Path file, float[] samples) {
    ByteBuffer buf = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float s : samples) {
      buf.putShort((short) Math.round(Math.max(-1f, Math.min(1f, s)) * Short.MAX_VALUE));
    }
    AudioFormat format = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
    try {
      Files.createDirectories(file.getParent());
      try (AudioInputStream in =
          new AudioInputStream(new ByteArrayInputStream(buf.array()), format, samples.length)) {
        AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads a mono 16-bit WAV file. */
  public static float[] read(Path file) {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
      AudioFormat f = in.getFormat();
      if (f.getChannels() != 1 || f.getSampleSizeInBits() != 16) {
        throw new IllegalArgumentException(file + ": expected mono 16-bit PCM, got " + f);
      }
      byte[] bytes = in.readAllBytes();
      ByteBuffer buf = ByteBuffer.wrap(bytes)
          .order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[bytes.length / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = buf.getShort() / (float) Short.MAX_VALUE;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (UnsupportedAudioFileException e) {
      throw new IllegalArgumentException(file + " is not a WAV file", e);
    }
  }

  /** A sine tone with a little deterministic noise, so different seeds give different bytes. */
  public static float[] tone(double frequencyHz, double seconds, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] out = new float[(int) Math.round(seconds * SAMPLE_RATE)];
    for (int i = 0; i < out.length; i++) {
      double t = i / SAMPLE_RATE;
      out[i] = (float)
          (0.6 * Math.sin(2 * Math.PI * frequencyHz * t) + 0.05 * (rnd.nextDouble() * 2 - 1));
    }
    return out;
  }

  /** Duration in seconds of a sample array at {@link #SAMPLE_RATE}. */
  public static double seconds(float[] samples) {
    return samples.length / (double) SAMPLE_RATE;
  }

  /** Root mean square of a range of samples. */
  public static double rms(float[] samples, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += samples[i] * samples[i];
    }
    return to > from ? Math.sqrt(sum / (to - from)) : 0;
  }

  /** The dominant frequency estimated from zero crossings; good enough for pure tones. */
  public static double dominantFrequency(float[] samples) {
    int crossings = 0;
    for (int i = 1; i < samples.length; i++) {
      if ((samples[i - 1] < 0) != (samples[i] < 0)) {
        crossings++;
      }
    }
    return crossings / 2.0 / seconds(samples);
  }

  /** Energy at a frequency (Goertzel filter), normalised by length: one bin of a tiny spectrum. */
  public static double energyAt(float[] samples, double frequencyHz) {
    double w = 2 * Math.PI * frequencyHz / SAMPLE_RATE;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (float x : samples) {
      double s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return Math.sqrt(Math.max(power, 0)) / samples.length;
  }
}
