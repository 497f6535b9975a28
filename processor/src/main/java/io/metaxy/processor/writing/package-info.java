/** Code generation (JavaPoet): the per-feature companions and the per-compilation registry. */
package io.metaxy.processor.writing;
