package io.metaxy.sample.features;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;

/** The central region of every frame and the first second of audio; each field follows its namesake. */
@Feature(
    key = "example/crop",
    idColumns = "video_id",
    description = "Centre crops of the frames, trimmed audio")
@Dep(Video.class)
@Field(key = "audio", codeVersion = "1")
@Field(key = "frames", codeVersion = "1")
public record Crop(String videoId, String croppedAudioPath, String croppedFramesDir) {}
