package io.metaxy.sample.features;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;
import io.metaxy.annotations.Lineage;

/** One embedding per speaker from all of their clips (N:1 aggregation on speaker_id). */
@Feature(
    key = "example/speaker_embedding",
    idColumns = "speaker_id",
    description = "Per-speaker spectral embedding")
@Dep(value = AudioClip.class, lineage = Lineage.AGGREGATION, on = "speaker_id")
@Field(key = "embedding", codeVersion = "1")
public record SpeakerEmbedding(String speakerId, int clipCount, String embedding) {}
