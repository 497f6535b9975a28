/** The immutable model of a validated feature, handed from validation to code generation. */
package io.metaxy.processor.model;
