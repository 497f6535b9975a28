package io.metaxy.sample.features;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;
import io.metaxy.annotations.Lineage;

/** Half-second chunks of a video (1:N expansion): each chunk carries its parent video's provenance. */
@Feature(
    key = "example/chunks",
    idColumns = {"video_id", "chunk_index"},
    description = "Half-second chunks of each video")
@Dep(value = Video.class, lineage = Lineage.EXPANSION, on = "video_id")
@Field(key = "audio", codeVersion = "1")
@Field(key = "frames", codeVersion = "1")
public record Chunk(
    String videoId, int chunkIndex, double startSeconds, double rms, String framePath) {}
