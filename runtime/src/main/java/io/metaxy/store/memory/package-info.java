/** The in-memory metadata store: Arrow batches held in the JVM heap's direct memory. */
@NullMarked
package io.metaxy.store.memory;

import org.jspecify.annotations.NullMarked;
