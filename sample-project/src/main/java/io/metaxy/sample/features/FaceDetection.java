package io.metaxy.sample.features;

import io.metaxy.annotations.Dep;
import io.metaxy.annotations.Feature;
import io.metaxy.annotations.Field;
import io.metaxy.annotations.On;

/** Faces found in the cropped frames: depends on the crop's frames only, so audio changes never reach it. */
@Feature(
    key = "example/face_detection",
    idColumns = "video_id",
    description = "Bright blobs counted in cropped frames")
@Dep(Crop.class)
@Field(key = "faces", codeVersion = "1", dependsOn = @On(feature = Crop.class, fields = "frames"))
public record FaceDetection(String videoId, int faceCount, double meanBrightness) {}
