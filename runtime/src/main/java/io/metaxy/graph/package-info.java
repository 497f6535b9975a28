/** The feature graph: definitions, their resolved plans, compiled companions and the registries that list them. */
@NullMarked
package io.metaxy.graph;

import org.jspecify.annotations.NullMarked;
