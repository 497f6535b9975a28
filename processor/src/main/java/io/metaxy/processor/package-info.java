/** The Metaxy annotation processor. User code never references these classes. */
@NullMarked
package io.metaxy.processor;

import org.jspecify.annotations.NullMarked;
