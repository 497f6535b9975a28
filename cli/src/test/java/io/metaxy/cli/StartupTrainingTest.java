package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.FeatureKey;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run does real work: every command succeeds on a store it filled. */
class StartupTrainingTest {
  @TempDir
  Path dir;

  @Test
  void everyStepRunsOnAFilledStore() throws Exception {
    assertEquals(0, StartupTraining.run(dir));
    MetaxyConfig config =
        MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
    try (MetadataStore store = Stores.open(config, "dev", config.loadGraph());
        var scope = store.open();
        VectorSchemaRoot clips = store.read(FeatureKey.of("training/clip"))) {
      assertEquals(1000, clips.getRowCount());
    }
    // The commands' exit codes are what run() returns; each also runs alone.
    for (var command : StartupTraining.COMMANDS) {
      MxHarness.Result r = new MxHarness(dir).run(command.toArray(new String[0]));
      assertEquals(0, r.rc(), command + ": " + r);
    }
  }
}
