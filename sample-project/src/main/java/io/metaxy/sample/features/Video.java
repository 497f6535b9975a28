package io.metaxy.sample.features;

import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;

/** A raw video: a WAV audio track and a directory of PNG frames (the root of the overview graph). */
@Feature(
    key = "example/video",
    idColumns = "video_id",
    description = "Raw videos: a WAV track and PNG frames")
@Field(key = "audio", codeVersion = "1")
@Field(key = "frames", codeVersion = "1")
public record Video(
    String videoId, String audioPath, String framesDir, double durationSeconds, int frameCount) {}
