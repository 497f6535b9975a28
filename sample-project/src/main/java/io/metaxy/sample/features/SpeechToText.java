package io.metaxy.sample.features;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;
import io.metaxy.annotations.On;

/** A "transcript" of the audio track (its dominant tone): depends on the video's audio only. */
@Feature(
    key = "example/stt",
    idColumns = "video_id",
    description = "Transcripts of the audio track")
@Dep(Video.class)
@Field(
    key = "transcription",
    codeVersion = "1",
    dependsOn = @On(feature = Video.class, fields = "audio"))
public record SpeechToText(String videoId, String transcript, double dominantHz) {}
