/** The hash recipes of every definition-level version, shared by the runtime and the annotation processor. */
@NullMarked
package io.metaxy.versioning;

import org.jspecify.annotations.NullMarked;
