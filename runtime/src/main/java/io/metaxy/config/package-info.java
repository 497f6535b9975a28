/**
 * {@code metaxy.toml} configuration: discovery, {@code extend} inheritance, {@code ${VAR}} templating,
 * {@code METAXY_*} environment overrides and explicit overrides, bound into typed, immutable values.
 *
 * <p>Entry points: {@link io.metaxy.config.MetaxyConfig#load()} and {@link
 * io.metaxy.config.MetaxyConfig#loader()}. Stores are described by {@link io.metaxy.config.StoreConfig};
 * building them is left to the store factory. Every error is a {@link io.metaxy.config.ConfigException}
 * whose message names the file, environment variable or argument and the dotted key at fault.
 */
@NullMarked
package io.metaxy.config;

import org.jspecify.annotations.NullMarked;
