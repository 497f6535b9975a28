package io.metaxy.store;

/** A feature record for the typed-API test; its companion is hand-written in {@link MetaxyCrop}. */
public record Crop(String video_id, long width) {}
