/** {@code mx}, the command line: picocli commands over the feature graph, the config and the stores. */
@NullMarked
package io.metaxy.cli;

import org.jspecify.annotations.NullMarked;
