package io.metaxy.sample.features;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;
import io.metaxy.annotations.On;

/** Faces in the frame of each chunk (identity on chunks; frames only). */
@Feature(
    key = "example/chunk_faces",
    idColumns = {"video_id", "chunk_index"},
    description = "Faces per chunk")
@Dep(Chunk.class)
@Field(key = "faces", codeVersion = "1", dependsOn = @On(feature = Chunk.class, fields = "frames"))
public record ChunkFaces(String videoId, int chunkIndex, int faceCount) {}
