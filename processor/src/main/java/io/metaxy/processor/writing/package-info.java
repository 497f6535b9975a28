/**
 * Code generation: the per-feature companions and the per-compilation registry, written as text
 * ({@code JavaSource} handles imports and literals) through the filer.
 */
package io.metaxy.processor.writing;
