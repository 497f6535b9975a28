package io.metaxy.store.delta;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Delta Kernel's file access on S3 through the AWS SDK v2 client: listing a directory from a key (the
 * {@code _delta_log} listing), ranged reads (Parquet footers and column chunks), whole-object writes,
 * and commit files written only if absent, with an S3 conditional write ({@code If-None-Match: *},
 * answered 412 when the key exists): Delta's mutual exclusion between writers, on AWS S3 since 2024
 * and on MinIO and R2. With {@link S3Options#unsafeCommits()} a commit is a HEAD then a plain PUT,
 * which only a single writer may rely on.
 */
final class S3FileIO implements FileIO, TableFiles {
  /** A forward seek within this many bytes reads on instead of opening a new ranged GET. */
  private static final long SKIP_LIMIT = 256 * 1024;

  private final S3Client s3;
  private final boolean unsafeCommits;

  /**
   * What this instance wrote: path to {size, local time of the upload}. Kernel asks for the status of
   * each data file it has just written (its add action's size and modification time); answering from
   * here saves a HEAD and keeps millisecond times (S3's Last-Modified has seconds).
   */
  private final Map<String, long[]> written = new ConcurrentHashMap<>();

  S3FileIO(S3Client s3, boolean unsafeCommits) {
    this.s3 = s3;
    this.unsafeCommits = unsafeCommits;
  }

  /** A client for the options: URL-connection HTTP, path-style unless virtual hosts are asked for. */
  static S3FileIO open(S3Options o) {
    S3ClientBuilder b = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .forcePathStyle(!o.virtualHostedStyle())
        .region(region(o))
        .credentialsProvider(credentials(o));
    if (o.endpoint() != null) {
      b.endpointOverride(URI.create(o.endpoint()));
    }
    return new S3FileIO(b.build(), o.unsafeCommits());
  }

  private static Region region(S3Options o) {
    if (o.region() != null) {
      return Region.of(o.region());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      // object_store's default when neither the options nor the environment name one.
      return Region.US_EAST_1;
    }
  }

  private static AwsCredentialsProvider credentials(S3Options o) {
    if (o.accessKeyId() != null && o.secretAccessKey() != null) {
      return StaticCredentialsProvider.create(
          o.sessionToken() == null
              ? AwsBasicCredentials.create(o.accessKeyId(), o.secretAccessKey())
              : AwsSessionCredentials.create(
                  o.accessKeyId(), o.secretAccessKey(), o.sessionToken()));
    }
    if (o.profile() != null) {
      return ProfileCredentialsProvider.create(o.profile());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** A bucket and key of an {@code s3://} (or {@code s3a://}) path. */
  record Location(String bucket, String key) {
    static Location of(String path) throws IOException {
      int colon = path.indexOf("://");
      String scheme = colon < 0 ? "" : path.substring(0, colon);
      if (!scheme.equals("s3") && !scheme.equals("s3a")) {
        throw new IOException("not an s3:// path: " + path);
      }
      String rest = path.substring(colon + 3);
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String key = slash < 0 ? "" : rest.substring(slash + 1);
      while (key.endsWith("/")) {
        key = key.substring(0, key.length() - 1);
      }
      if (bucket.isEmpty()) {
        throw new IOException("no bucket in " + path);
      }
      return new Location(bucket, key);
    }

    /** The key prefix of everything under this location as a directory. */
    String dirPrefix() {
      return key.isEmpty() ? "" : key + "/";
    }
  }

  private static IOException failure(String what, String path, SdkException e) {
    if (e instanceof S3Exception s && s.statusCode() == 404) {
      FileNotFoundException nf = new FileNotFoundException(path);
      nf.initCause(e);
      return nf;
    }
    return new IOException("S3 " + what + " of " + path + " failed: " + e.getMessage(), e);
  }

  // ---------------------------------------------------------------- FileIO

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    Location loc = Location.of(filePath);
    int slash = loc.key().lastIndexOf('/');
    String dirKey = slash < 0 ? "" : loc.key().substring(0, slash + 1);
    String dirPath = filePath.substring(0, filePath.lastIndexOf('/') + 1);
    String from = loc.key();
    ListObjectsV2Request.Builder req =
        ListObjectsV2Request.builder().bucket(loc.bucket()).prefix(dirKey).delimiter("/");
    if (from.length() > dirKey.length()) {
      // startAfter excludes its key; one character shorter includes `from` itself, and the few keys
      // between are dropped below.
      req.startAfter(from.substring(0, from.length() - 1));
    }
    List<FileStatus> out = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(req.build()).contents()) {
        if (o.key().compareTo(from) >= 0) {
          out.add(FileStatus.of(
              dirPath + o.key().substring(dirKey.length()),
              o.size(),
              o.lastModified().toEpochMilli()));
        }
      }
      if (out.isEmpty()
          && s3.listObjectsV2(ListObjectsV2Request.builder()
                  .bucket(loc.bucket())
                  .prefix(dirKey)
                  .maxKeys(1)
                  .build())
              .contents()
              .isEmpty()) {
        // No directories on S3: a directory without objects does not exist (Kernel's "no table").
        throw new FileNotFoundException(dirPath);
      }
    } catch (SdkException e) {
      throw failure("listing", filePath, e);
    }
    return Utils.toCloseableIterator(out.iterator());
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    long[] w = written.remove(path);
    if (w != null) {
      return FileStatus.of(path, w[0], w[1]);
    }
    return head(path);
  }

  private FileStatus head(String path) throws IOException {
    Location loc = Location.of(path);
    try {
      HeadObjectResponse h = s3.headObject(r -> r.bucket(loc.bucket()).key(loc.key()));
      return FileStatus.of(path, h.contentLength(), h.lastModified().toEpochMilli());
    } catch (SdkException e) {
      throw failure("HEAD", path, e);
    }
  }

  @Override
  public String resolvePath(String path) throws IOException {
    Location.of(path);
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  @Override
  public boolean mkdirs(String path) {
    // S3 has no directories: a key's "directories" exist as soon as it does.
    return true;
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    return new InputFile() {
      private long length = fileSize;

      @Override
      public long length() throws IOException {
        if (length <= 0) {
          // Kernel passes 0 for files it has not listed (_last_checkpoint): ask, so that a missing
          // key is FileNotFoundException, as opening it would be, and not an empty file (which
          // Kernel retries a second later, three times).
          length = head(path).getSize();
        }
        return length;
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        return new RangedStream(path, Location.of(path), length());
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean atomicWrite) throws IOException {
        // One PUT on close: the object appears whole or not at all, atomic either way.
        Location loc = Location.of(path);
        return new BufferedUpload(b -> {
          put(path, loc, b.buf, b.count, false);
          // Kernel asks for the status of the data and checkpoint files it has just written.
          written.put(path, new long[] {b.count, System.currentTimeMillis()});
        });
      }

      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite)
          throws IOException {
        Location loc = Location.of(path);
        BufferedUpload b = new BufferedUpload(x -> {});
        try (data) {
          while (data.hasNext()) {
            b.write((data.next() + "\n").getBytes(StandardCharsets.UTF_8));
          }
        }
        put(path, loc, b.buf, b.count, !overwrite);
      }
    };
  }

  /**
   * Uploads an object in one PUT; {@code ifAbsent} makes it a conditional write that fails with
   * {@link FileAlreadyExistsException} when the key exists (Kernel's signal of a lost commit race).
   */
  private void put(String path, Location loc, byte[] bytes, int length, boolean ifAbsent)
      throws IOException {
    PutObjectRequest.Builder req =
        PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).contentLength((long) length);
    if (ifAbsent) {
      if (unsafeCommits) {
        if (exists(loc)) {
          throw new FileAlreadyExistsException(path);
        }
      } else {
        req.ifNoneMatch("*");
      }
    }
    PutObjectRequest request = req.build();
    // Whether an earlier attempt's answer was lost: it may have been written.
    boolean uncertain = false;
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(
            request,
            RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(bytes, 0, length),
                length,
                "application/octet-stream"));
        return;
      } catch (S3Exception e) {
        // 412: the key exists; 409: another conditional write to it was in flight (S3 asks to
        // retry, and a retry on the next snapshot is what Kernel's caller does).
        if (ifAbsent && (e.statusCode() == 412 || e.statusCode() == 409)) {
          if (uncertain && sameContent(loc, bytes, length)) {
            return;
          }
          FileAlreadyExistsException exists = new FileAlreadyExistsException(path);
          exists.initCause(e);
          throw exists;
        }
        if (ifAbsent && e.statusCode() == 501) {
          throw new IOException(
              "the S3 endpoint does not support conditional writes (If-None-Match), which Delta"
                  + " commits need so that concurrent writers cannot overwrite each other; with a"
                  + " single writer only, storage option AWS_S3_ALLOW_UNSAFE_RENAME = \"true\""
                  + " commits without them (writing " + path + ")",
              e);
        }
        throw failure("PUT", path, e);
      } catch (SdkException | UncheckedIOException e) {
        // The answer was lost (connection dropped after the SDK's own retries). A plain PUT is
        // simply failed; a commit must not be reported lost when it was written (Kernel would
        // commit it again at the next version): the next attempt's 412 is checked against what
        // the key holds.
        if (!ifAbsent || attempt >= 3) {
          throw e instanceof SdkException sdk
              ? failure("PUT", path, sdk)
              : new IOException("S3 PUT of " + path + " failed", e);
        }
        uncertain = true;
      }
    }
  }

  /** Whether an object holds exactly these bytes (a commit file is unique to its writer). */
  private boolean sameContent(Location loc, byte[] bytes, int length) throws IOException {
    try (InputStream in = s3.getObject(r -> r.bucket(loc.bucket()).key(loc.key()))) {
      byte[] got = in.readAllBytes();
      return Arrays.equals(got, 0, got.length, bytes, 0, length);
    } catch (SdkException e) {
      throw failure("GET", "s3://" + loc.bucket() + "/" + loc.key(), e);
    }
  }

  private boolean exists(Location loc) throws IOException {
    try {
      s3.headObject(r -> r.bucket(loc.bucket()).key(loc.key()));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failure("HEAD", "s3://" + loc.bucket() + "/" + loc.key(), e);
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    Location loc = Location.of(path);
    try {
      s3.deleteObject(r -> r.bucket(loc.bucket()).key(loc.key()));
      return true;
    } catch (SdkException e) {
      throw failure("DELETE", path, e);
    }
  }

  @Override
  public Optional<String> getConf(String confKey) {
    // Kernel's engine settings (batch and file sizes) keep their defaults, as with a fresh Hadoop
    // configuration.
    return Optional.empty();
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite)
      throws IOException {
    Location src = Location.of(srcPath);
    byte[] bytes;
    try (InputStream in = s3.getObject(r -> r.bucket(src.bucket()).key(src.key()))) {
      bytes = in.readAllBytes();
    } catch (SdkException e) {
      throw failure("GET", srcPath, e);
    }
    put(destPath, Location.of(destPath), bytes, bytes.length, !overwrite);
  }

  // ---------------------------------------------------------------- TableFiles

  @Override
  public List<String> directories(String dir) throws IOException {
    Location loc = Location.of(dir);
    String prefix = loc.dirPrefix();
    List<String> out = new ArrayList<>();
    try {
      for (CommonPrefix p : s3.listObjectsV2Paginator(
              r -> r.bucket(loc.bucket()).prefix(prefix).delimiter("/"))
          .commonPrefixes()) {
        String name = p.prefix().substring(prefix.length());
        out.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
      }
    } catch (SdkException e) {
      throw failure("listing", dir, e);
    }
    return out;
  }

  @Override
  public boolean hasFiles(String dir) throws IOException {
    Location loc = Location.of(dir);
    try {
      return !s3.listObjectsV2(
              r -> r.bucket(loc.bucket()).prefix(loc.dirPrefix()).maxKeys(1))
          .contents()
          .isEmpty();
    } catch (SdkException e) {
      throw failure("listing", dir, e);
    }
  }

  @Override
  public boolean deleteAll(String dir) throws IOException {
    Location loc = Location.of(dir);
    boolean any = false;
    try {
      // Pages of at most 1,000 keys: exactly what one DeleteObjects takes.
      for (ListObjectsV2Response page :
          s3.listObjectsV2Paginator(r -> r.bucket(loc.bucket()).prefix(loc.dirPrefix()))) {
        List<ObjectIdentifier> keys = new ArrayList<>();
        for (S3Object o : page.contents()) {
          keys.add(ObjectIdentifier.builder().key(o.key()).build());
        }
        if (keys.isEmpty()) {
          continue;
        }
        any = true;
        DeleteObjectsResponse r = s3.deleteObjects(d -> d.bucket(loc.bucket())
            .delete(Delete.builder().objects(keys).quiet(true).build()));
        if (!r.errors().isEmpty()) {
          throw new IOException(
              "S3 could not delete " + r.errors().size() + " object(s) under " + dir + ", e.g. "
                  + r.errors().get(0).key() + ": " + r.errors().get(0).message());
        }
      }
    } catch (SdkException e) {
      throw failure("delete", dir, e);
    }
    return any;
  }

  @Override
  public void close() {
    s3.close();
  }

  // ---------------------------------------------------------------- streams

  /** A callback run once when a buffered upload is closed. */
  private interface Upload {
    void run(BufferedUpload b) throws IOException;
  }

  /** An output stream kept in memory until close, then uploaded in one PUT. */
  private static final class BufferedUpload extends PositionOutputStream {
    private final Upload upload;
    byte[] buf = new byte[8192];
    int count;
    private boolean closed;

    BufferedUpload(Upload upload) {
      this.upload = upload;
    }

    private void ensure(int more) throws IOException {
      long need = (long) count + more;
      if (need > Integer.MAX_VALUE - 8) {
        throw new IOException("an S3 object written by the Delta store is limited to 2 GB");
      }
      if (need > buf.length) {
        buf = Arrays.copyOf(
            buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buf.length)));
      }
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    @Override
    public long getPos() {
      return count;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        upload.run(this);
      }
    }
  }

  /** Reads an object through ranged GETs, opening a new one only for a seek it cannot read across. */
  private final class RangedStream extends SeekableInputStream {
    private final String path;
    private final Location loc;
    private final long length;
    private long pos;
    private @Nullable ResponseInputStream<GetObjectResponse> in;
    private long inPos;

    RangedStream(String path, Location loc, long length) {
      this.path = path;
      this.loc = loc;
      this.length = length;
    }

    private InputStream stream() throws IOException {
      ResponseInputStream<GetObjectResponse> cur = in;
      if (cur != null && inPos == pos) {
        return cur;
      }
      if (cur != null && pos > inPos && pos - inPos <= SKIP_LIMIT) {
        cur.skipNBytes(pos - inPos);
        inPos = pos;
        return cur;
      }
      abort();
      long start = pos;
      try {
        cur =
            s3.getObject(r -> r.bucket(loc.bucket()).key(loc.key()).range("bytes=" + start + "-"));
      } catch (SdkException e) {
        throw failure("GET", path, e);
      }
      in = cur;
      inPos = pos;
      return cur;
    }

    private void abort() {
      ResponseInputStream<GetObjectResponse> cur = in;
      if (cur != null) {
        // Closing would read the rest of the range; aborting drops the connection instead.
        cur.abort();
        in = null;
      }
    }

    @Override
    public int read() throws IOException {
      if (pos >= length) {
        return -1;
      }
      int b = stream().read();
      if (b >= 0) {
        pos++;
        inPos++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos >= length) {
        return -1;
      }
      int n = stream().read(b, off, (int) Math.min(len, length - pos));
      if (n > 0) {
        pos += n;
        inPos += n;
      }
      return n;
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      int done = 0;
      while (done < len) {
        int n = read(b, off + done, len - done);
        if (n < 0) {
          throw new EOFException(
              "end of " + path + " after " + pos + " bytes, " + (len - done) + " more expected");
        }
        done += n;
      }
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0 || newPos > length) {
        throw new EOFException(
            "seek to " + newPos + " outside " + path + " (" + length + " bytes)");
      }
      pos = newPos;
    }

    @Override
    public void close() {
      ResponseInputStream<GetObjectResponse> cur = in;
      if (cur != null && inPos >= length) {
        try {
          cur.close();
        } catch (IOException e) {
          cur.abort();
        }
        in = null;
      } else {
        abort();
      }
    }
  }
}
