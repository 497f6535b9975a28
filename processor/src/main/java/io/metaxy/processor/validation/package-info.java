/**
 * Reading and checking {@code @Feature} records: typed annotation readers ({@link
 * io.metaxy.processor.validation.Ann}), validators that return {@link
 * io.metaxy.processor.validation.Report}s, and the message catalog ({@link
 * io.metaxy.processor.validation.Diagnostic}).
 */
package io.metaxy.processor.validation;
