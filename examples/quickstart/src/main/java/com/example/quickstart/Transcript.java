package com.example.quickstart;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;
import io.metaxy.annotations.On;

/** A downstream feature: its one field depends on the video's audio, not on its frames. */
@Feature(key = "quickstart/transcript", idColumns = "video_id")
@Dep(Video.class)
@Field(key = "text", codeVersion = "1", dependsOn = @On(feature = Video.class, fields = "audio"))
public record Transcript(String videoId, String text) {}
