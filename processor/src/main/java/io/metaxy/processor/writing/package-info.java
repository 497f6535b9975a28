/** Code generation (JavaPoet): the per-feature companions and the per-compilation registry. */
@NullMarked
package io.metaxy.processor.writing;

import org.jspecify.annotations.NullMarked;
