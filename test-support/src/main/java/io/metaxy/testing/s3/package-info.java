/** An S3-compatible server on loopback for tests and benchmarks (s3proxy, filesystem backend). */
@NullMarked
package io.metaxy.testing.s3;

import org.jspecify.annotations.NullMarked;
