/**
 * JSON as the Python reference writes it ({@code json.dumps(obj, sort_keys=True)}), and parsing it back into
 * plain trees.
 */
@NullMarked
package io.metaxy.json;

import org.jspecify.annotations.NullMarked;
