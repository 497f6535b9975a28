/** Feature and field keys, the system columns' names and kinds, and the exceptions every package throws. */
@NullMarked
package io.metaxy;

import org.jspecify.annotations.NullMarked;
