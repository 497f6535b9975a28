package io.metaxy.sample.features;

import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;

/** A short recording of one speaker (the root of the aggregation graph). */
@Feature(key = "example/audio_clip", idColumns = "clip_id", description = "Speaker recordings")
@Field(key = "audio", codeVersion = "1")
public record AudioClip(String clipId, String speakerId, String path, double seconds) {}
