package io.metaxy.engine;

import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import io.metaxy.versioning.hash.SampleHasher;
import java.util.List;

/**
 * The per-row hashing phase: for every row, each output is {@code T(hash(template))} where a template
 * is a fixed sequence of constant bytes and column values; optionally a combined output is
 * {@code T(hash("|".join(outputs in a given order)))} (sample provenance). Rows are split into chunks
 * hashed in parallel; strings are assembled in reusable byte buffers straight from the Arrow data
 * buffers, so no per-row objects are created.
 */
final class HashKernel {
  private static final byte PIPE = '|';

  /**
   * One output's string: {@code consts[0] col[0] consts[1] col[1] ... consts[k]}.
   *
   * @param consts k+1 constant byte strings
   * @param cols k columns (a null column means "always missing")
   * @param emptyIfNull per column: a missing value counts as {@code ""} (optional dependency) instead of
   *     making the output null
   */
  record Template(byte[][] consts, Col[] cols, boolean[] emptyIfNull) {}

  private HashKernel() {}

  /**
   * Hashes every row.
   *
   * @param combineOrder when non-null, the output indexes whose values are joined with "|" and hashed
   *     into one extra, last, output; a null output makes it null
   * @return per output (templates, then the combined one) the per-chunk values
   */
  static Utf8Out[][] run(
      int n, List<Template> templates, int[] combineOrder, HashAlgorithm algorithm, Truncation truncation) {
    int outputs = templates.size() + (combineOrder == null ? 0 : 1);
    int chunks = Parallel.chunks(n);
    Utf8Out[][] result = new Utf8Out[outputs][chunks];
    int limit = truncation.length() == 0 ? SampleHasher.MAX_LENGTH : truncation.length();
    Parallel.forChunks(n, (chunk, from, to) -> {
      SampleHasher hasher = algorithm.newHasher();
      ByteBuf buf = new ByteBuf(256);
      byte[] digest = new byte[SampleHasher.MAX_LENGTH];
      int t = templates.size();
      // The truncated value of each template output for the current row, for the combined hash.
      byte[][] values = new byte[t][SampleHasher.MAX_LENGTH];
      int[] lengths = new int[t];
      Utf8Out[] outs = new Utf8Out[outputs];
      for (int o = 0; o < outputs; o++) {
        outs[o] = new Utf8Out(to - from, Math.min(limit, 20));
        result[o][chunk] = outs[o];
      }
      for (int r = from; r < to; r++) {
        for (int o = 0; o < t; o++) {
          Template tp = templates.get(o);
          buf.len = 0;
          boolean isNull = false;
          byte[][] consts = tp.consts;
          for (int k = 0; k < tp.cols.length; k++) {
            buf.append(consts[k]);
            Col c = tp.cols[k];
            if (c == null || !c.appendText(r, buf)) {
              if (!tp.emptyIfNull[k]) {
                isNull = true;
                break;
              }
            }
          }
          if (isNull) {
            outs[o].addNull();
            lengths[o] = -1;
            continue;
          }
          buf.append(consts[consts.length - 1]);
          int len = Math.min(limit, hasher.hash(buf.a, 0, buf.len, values[o], 0));
          lengths[o] = len;
          outs[o].add(values[o], 0, len);
        }
        if (combineOrder != null) {
          buf.len = 0;
          boolean isNull = false;
          for (int i = 0; i < combineOrder.length; i++) {
            int o = combineOrder[i];
            if (lengths[o] < 0) {
              isNull = true;
              break;
            }
            if (i > 0) {
              buf.ensure(1);
              buf.a[buf.len++] = PIPE;
            }
            buf.append(values[o], 0, lengths[o]);
          }
          if (isNull) {
            outs[t].addNull();
          } else {
            int len = Math.min(limit, hasher.hash(buf.a, 0, buf.len, digest, 0));
            outs[t].add(digest, 0, len);
          }
        }
      }
    });
    return result;
  }
}
