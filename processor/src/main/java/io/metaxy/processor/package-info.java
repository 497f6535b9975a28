/** The Metaxy annotation processor. User code never references these classes. */
package io.metaxy.processor;
