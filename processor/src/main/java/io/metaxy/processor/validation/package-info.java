/**
 * Reading and checking {@code @Feature} records: typed annotation access ({@link
 * io.metaxy.processor.validation.Ann}), small readers that each return what they read of one record
 * (sharing a per-record context), validators that return {@link
 * io.metaxy.processor.validation.Report}s, and the message catalog ({@link
 * io.metaxy.processor.validation.Diagnostic}). Building the model from what was read is {@code model}'s
 * job.
 */
@NullMarked
package io.metaxy.processor.validation;

import org.jspecify.annotations.NullMarked;
