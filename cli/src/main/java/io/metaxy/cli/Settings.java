package io.metaxy.cli;

import io.metaxy.config.ConfigException;
import io.metaxy.config.ConfigLoader;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.versioning.Truncation;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What the commands need from the Metaxy configuration, loaded once per run: {@code metaxy.toml} found
 * from the working directory (or {@code --config-file}; {@code METAXY_CONFIG} wins, as in the reference),
 * with {@code METAXY_*} variables of the run's environment (including {@code .env}) on top.
 *
 * @param config the loaded configuration
 */
record Settings(MetaxyConfig config) {

  /** The configured project, or {@code null}. */
  @Nullable
  String project() {
    return config.project().orElse(null);
  }

  /** The hash truncation. */
  Truncation truncation() {
    return config.truncation();
  }

  /** @throws CliFailure with the configuration error, which names the file or variable at fault */
  static Settings load(RootCommand root) {
    try {
      ConfigLoader loader =
          MetaxyConfig.loader().workingDirectory(root.cwd()).environment(root.env());
      Path configFile = root.globals().configFile;
      if (configFile != null) {
        loader.configFile(root.cwd().resolve(configFile));
      }
      return new Settings(loader.load());
    } catch (ConfigException e) {
      throw CliFailure.error("Invalid Metaxy configuration: " + e.getMessage());
    }
  }
}
