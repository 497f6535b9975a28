package io.metaxy.store.duckdb.ddl;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A feature record with one column of each kind; its companion {@link MetaxyClip} is written as the processor writes it. */
public record Clip(
    String clipId,
    long frames,
    Double score,
    boolean ok,
    Instant seenAt,
    LocalDate day,
    byte[] thumbnail,
    List<String> labels) {}
