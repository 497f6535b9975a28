/** The in-memory metadata store: Arrow batches held in the JVM heap's direct memory. */
package io.metaxy.store.memory;
