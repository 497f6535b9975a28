package com.example.quickstart;

import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;

/** A root feature: one sample per video, with two fields that change independently. */
@Feature(key = "quickstart/video", idColumns = "video_id")
@Field(key = "audio", codeVersion = "1")
@Field(key = "frames", codeVersion = "1")
public record Video(String videoId, String audioPath, String framesDir) {}
