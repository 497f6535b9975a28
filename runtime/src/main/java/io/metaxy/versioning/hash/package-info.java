/**
 * Pure-Java hash functions for sample-level versions (XXH32, XXH64, wyhash v1, FarmHash Fingerprint64)
 * and {@link io.metaxy.versioning.hash.SampleHasher}, which hashes a UTF-8 byte range and renders the
 * value as the reference stores it, without allocating.
 */
@NullMarked
package io.metaxy.versioning.hash;

import org.jspecify.annotations.NullMarked;
